package org.coopvm.hypervisor.xenstore;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The live tree: nodes by absolute path, a generation counter stamped on every change, and the
 * count of nodes each domain owns (for quotas). Starts with {@code /}, {@code /local},
 * {@code /local/domain} and {@code /tool}, owned by dom0, readable by nobody else.
 *
 * <p>Thread safety: used under {@link Xenstored}'s lock.
 */
public final class Store implements NodeView
{
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<Integer, Integer> owned = new HashMap<>();
    private long generation;

    /**
     * Creates the initial tree.
     */
    public Store()
    {
        final Permissions dom0Only = Permissions.of(0, Permissions.Access.NONE);
        put("/", new Node(new byte[0], dom0Only, List.of("local", "tool"), 0));
        put("/local", new Node(new byte[0], dom0Only, List.of("domain"), 0));
        put("/local/domain", new Node(new byte[0], dom0Only, List.of(), 0));
        put("/tool", new Node(new byte[0], dom0Only, List.of(), 0));
    }

    @Override
    public Node node(final String path)
    {
        return nodes.get(path);
    }

    @Override
    public void put(final String path, final Node node)
    {
        final Node old = nodes.put(path, node.withGeneration(++generation));
        if (old != null)
        {
            owned.merge(old.perms().owner(), -1, Integer::sum);
        }
        owned.merge(node.perms().owner(), 1, Integer::sum);
    }

    @Override
    public void remove(final String path)
    {
        final Node old = nodes.remove(path);
        if (old != null)
        {
            owned.merge(old.perms().owner(), -1, Integer::sum);
        }
    }

    @Override
    public int nodesOwnedBy(final int domid)
    {
        return owned.getOrDefault(domid, 0);
    }

    /** @return nodes in the tree. */
    public int size()
    {
        return nodes.size();
    }

    /** @return the generation of the last change. */
    public long generation()
    {
        return generation;
    }
}
