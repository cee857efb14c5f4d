package org.coopvm.hypervisor.sched;

/**
 * An intrusive doubly linked list of {@link VcpuEntry} (the links live in the entries), so queueing
 * allocates nothing. The algorithm decides the order by where it inserts.
 *
 * <p>Thread safety: the scheduler's thread only.
 */
final class RunQueue
{
    private VcpuEntry head;
    private VcpuEntry tail;
    private int size;

    /** @return the first entry, null when empty. */
    VcpuEntry first()
    {
        return head;
    }

    /** @return the number of entries. */
    int size()
    {
        return size;
    }

    /** @return whether it is empty. */
    boolean isEmpty()
    {
        return size == 0;
    }

    /**
     * @param position the entry to insert before, null for the tail.
     * @param e        an entry not in any queue.
     */
    void addBefore(final VcpuEntry position, final VcpuEntry e)
    {
        final VcpuEntry before = position == null ? tail : position.prev;
        e.prev = before;
        e.next = position;
        if (before == null)
        {
            head = e;
        }
        else
        {
            before.next = e;
        }
        if (position == null)
        {
            tail = e;
        }
        else
        {
            position.prev = e;
        }
        e.queued = true;
        size++;
    }

    /** @param e an entry to append. */
    void addLast(final VcpuEntry e)
    {
        addBefore(null, e);
    }

    /** @param e an entry in this queue. */
    void remove(final VcpuEntry e)
    {
        if (e.prev == null)
        {
            head = e.next;
        }
        else
        {
            e.prev.next = e.next;
        }
        if (e.next == null)
        {
            tail = e.prev;
        }
        else
        {
            e.next.prev = e.prev;
        }
        e.prev = null;
        e.next = null;
        e.queued = false;
        size--;
    }
}
