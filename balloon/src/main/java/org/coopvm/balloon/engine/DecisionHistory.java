package org.coopvm.balloon.engine;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The engine's recent decisions, oldest first, at most a fixed number (the oldest go first).
 *
 * <p>Thread safety: any thread (this object's monitor).
 */
public final class DecisionHistory
{
    private final int capacity;
    private final ArrayDeque<DecisionRecord> records;
    private long evicted;

    /** @param capacity most records kept, at least 1. */
    public DecisionHistory(final int capacity)
    {
        if (capacity < 1)
        {
            throw new IllegalArgumentException("history capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.records = new ArrayDeque<>(Math.min(capacity, 1024));
    }

    /** @param record a decision to keep. */
    public synchronized void add(final DecisionRecord record)
    {
        if (records.size() == capacity)
        {
            records.removeFirst();
            evicted++;
        }
        records.addLast(record);
    }

    /** @return every record kept, oldest first. */
    public synchronized List<DecisionRecord> records()
    {
        return List.copyOf(records);
    }

    /**
     * @param domid a domain.
     * @return its records kept, oldest first.
     */
    public synchronized List<DecisionRecord> records(final int domid)
    {
        final List<DecisionRecord> mine = new ArrayList<>();
        for (final DecisionRecord record : records)
        {
            if (record.domid() == domid)
            {
                mine.add(record);
            }
        }
        return mine;
    }

    /** @return records dropped to stay within capacity. */
    public synchronized long evicted()
    {
        return evicted;
    }
}
