package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsErrno;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The tree operations with Xen's permission, quota and size rules, over any {@link NodeView}
 * (the store or a transaction). Each change appends the {@link WatchEvent}s it causes.
 *
 * <p>Thread safety: used under {@link Xenstored}'s lock.
 */
final class NodeOps
{
    private final XenstoreConfig config;

    NodeOps(final XenstoreConfig config)
    {
        this.config = config;
    }

    /** @throws XsException ENOENT, EACCES. */
    Node read(final NodeView view, final int domid, final String path)
    {
        final Node node = view.node(path);
        if (node == null)
        {
            throw new XsException(XsErrno.ENOENT);
        }
        if (!node.perms().canRead(domid))
        {
            throw new XsException(XsErrno.EACCES);
        }
        return node;
    }

    /** Writes a value, creating the node and missing parents. */
    void write(final NodeView view, final int domid, final String path, final byte[] value, final List<WatchEvent> events)
    {
        if (domid != 0 && value.length > config.maxNodeSizeBytes())
        {
            throw new XsException(XsErrno.ENOSPC);
        }
        final Node node = view.node(path);
        if (node == null)
        {
            create(view, domid, path, value);
        }
        else
        {
            writable(node, domid);
            view.put(path, node.withValue(value));
        }
        events.add(new WatchEvent(path, view.node(path).perms(), false));
    }

    /** Creates the node (and parents) with an empty value if missing. */
    void mkdir(final NodeView view, final int domid, final String path, final List<WatchEvent> events)
    {
        if (view.node(path) == null)
        {
            create(view, domid, path, new byte[0]);
            events.add(new WatchEvent(path, view.node(path).perms(), false));
        }
    }

    /** Removes a node and its subtree; removing a missing child of an existing node succeeds. */
    void rm(final NodeView view, final int domid, final String path, final List<WatchEvent> events)
    {
        if ("/".equals(path))
        {
            throw new XsException(XsErrno.EINVAL);
        }
        final Node node = view.node(path);
        if (node == null)
        {
            if (view.node(XsPaths.parent(path)) == null)
            {
                throw new XsException(XsErrno.ENOENT);
            }
            return;
        }
        writable(node, domid);
        removeSubtree(view, path, events);
        final String parentPath = XsPaths.parent(path);
        view.put(parentPath, view.node(parentPath).withoutChild(XsPaths.name(path)));
        events.add(new WatchEvent(path, node.perms(), false));
    }

    /** Replaces permissions: only the owner or dom0; only dom0 changes the owner. */
    void setPerms(final NodeView view, final int domid, final String path, final Permissions perms,
                  final List<WatchEvent> events)
    {
        final Node node = view.node(path);
        if (node == null)
        {
            throw new XsException(XsErrno.ENOENT);
        }
        if (domid != 0 && domid != node.perms().owner())
        {
            throw new XsException(XsErrno.EACCES);
        }
        if (domid != 0 && perms.owner() != node.perms().owner())
        {
            throw new XsException(XsErrno.EPERM);
        }
        view.put(path, node.withPerms(perms));
        events.add(new WatchEvent(path, perms, false));
    }

    private static void writable(final Node node, final int domid)
    {
        if (!node.perms().canWrite(domid))
        {
            throw new XsException(XsErrno.EACCES);
        }
    }

    private void create(final NodeView view, final int domid, final String path, final byte[] value)
    {
        final Deque<String> missing = new ArrayDeque<>();
        String existing = path;
        while (view.node(existing) == null)
        {
            missing.push(existing);
            existing = XsPaths.parent(existing);
        }
        final Node ancestor = view.node(existing);
        writable(ancestor, domid);
        if (domid != 0 && view.nodesOwnedBy(domid) + missing.size() > config.maxNodesPerDomain())
        {
            throw new XsException(XsErrno.ENOSPC);
        }
        final Permissions perms = domid == 0 ? ancestor.perms() : ancestor.perms().withOwner(domid);
        String parent = existing;
        while (!missing.isEmpty())
        {
            final String child = missing.pop();
            view.put(parent, view.node(parent).withChild(XsPaths.name(child)));
            view.put(child, new Node(missing.isEmpty() ? value : new byte[0], perms, List.of(), 0));
            parent = child;
        }
    }

    private static void removeSubtree(final NodeView view, final String path, final List<WatchEvent> events)
    {
        final Node node = view.node(path);
        for (final String name : node.children())
        {
            final String child = XsPaths.child(path, name);
            final Node childNode = view.node(child);
            if (childNode != null)
            {
                removeSubtree(view, child, events);
                events.add(new WatchEvent(child, childNode.perms(), true));
            }
        }
        view.remove(path);
    }
}
