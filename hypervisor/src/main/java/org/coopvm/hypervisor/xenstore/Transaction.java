package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsErrno;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A transaction's private view of the store, with Xen's conflict rule: every node it reads or
 * writes is recorded with the generation it had at first access (absent = -1); the commit fails
 * with EAGAIN if any of them changed meanwhile, else applies the private changes and releases
 * the watch events queued by its requests.
 *
 * <p>Thread safety: used under {@link Xenstored}'s lock.
 */
public final class Transaction implements NodeView
{
    private static final long ABSENT = -1;

    private final int id;
    private final Store store;
    private final Map<String, Long> accessed = new HashMap<>();
    private final Map<String, Node> changed = new LinkedHashMap<>();
    private final Map<Integer, Integer> ownedDelta = new HashMap<>();
    private final List<WatchEvent> events = new ArrayList<>();

    Transaction(final int id, final Store store)
    {
        this.id = id;
        this.store = store;
    }

    /** @return the transaction id the client uses. */
    public int id()
    {
        return id;
    }

    @Override
    public Node node(final String path)
    {
        record(path);
        if (changed.containsKey(path))
        {
            return changed.get(path);
        }
        return store.node(path);
    }

    @Override
    public void put(final String path, final Node node)
    {
        final Node old = node(path);
        count(old, -1);
        count(node, 1);
        changed.put(path, node);
    }

    @Override
    public void remove(final String path)
    {
        count(node(path), -1);
        changed.put(path, null);
    }

    @Override
    public int nodesOwnedBy(final int domid)
    {
        return store.nodesOwnedBy(domid) + ownedDelta.getOrDefault(domid, 0);
    }

    void queue(final List<WatchEvent> requestEvents)
    {
        events.addAll(requestEvents);
    }

    /**
     * Applies the changes if nothing this transaction touched changed meanwhile.
     *
     * @return the watch events to fire.
     * @throws XsException EAGAIN on conflict (nothing applied).
     */
    List<WatchEvent> commit()
    {
        for (final Map.Entry<String, Long> access : accessed.entrySet())
        {
            if (generationOf(store.node(access.getKey())) != access.getValue())
            {
                throw new XsException(XsErrno.EAGAIN);
            }
        }
        changed.forEach((path, node) ->
        {
            if (node == null)
            {
                store.remove(path);
            }
            else
            {
                store.put(path, node);
            }
        });
        return events;
    }

    private void record(final String path)
    {
        accessed.computeIfAbsent(path, p -> generationOf(store.node(p)));
    }

    private void count(final Node node, final int delta)
    {
        if (node != null)
        {
            ownedDelta.merge(node.perms().owner(), delta, Integer::sum);
        }
    }

    private static long generationOf(final Node node)
    {
        return node == null ? ABSENT : node.generation();
    }
}
