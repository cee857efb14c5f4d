package org.coopvm.hypervisor.xenstore;

import java.util.ArrayList;
import java.util.List;

/**
 * One immutable node: value, permissions, child names in creation order, and the generation
 * the store gave it at its last change (transactions compare generations).
 *
 * @param value      the value bytes (owned by the node; callers do not change them).
 * @param perms      the permissions.
 * @param children   child names, in creation order.
 * @param generation the store's generation at the last change.
 */
public record Node(byte[] value, Permissions perms, List<String> children, long generation)
{
    /**
     * Copies the child list.
     */
    public Node
    {
        children = List.copyOf(children);
    }

    /** @return the same node with another value. */
    public Node withValue(final byte[] newValue)
    {
        return new Node(newValue, perms, children, generation);
    }

    /** @return the same node with other permissions. */
    public Node withPerms(final Permissions newPerms)
    {
        return new Node(value, newPerms, children, generation);
    }

    /** @return the same node with one more child (if not there yet). */
    public Node withChild(final String name)
    {
        if (children.contains(name))
        {
            return this;
        }
        final List<String> copy = new ArrayList<>(children);
        copy.add(name);
        return new Node(value, perms, copy, generation);
    }

    /** @return the same node without the child. */
    public Node withoutChild(final String name)
    {
        final List<String> copy = new ArrayList<>(children);
        copy.remove(name);
        return new Node(value, perms, copy, generation);
    }

    /** @return the same node with another child list. */
    public Node withChildren(final List<String> newChildren)
    {
        return new Node(value, perms, newChildren, generation);
    }

    /** @return the same node stamped with a generation. */
    public Node withGeneration(final long newGeneration)
    {
        return new Node(value, perms, children, newGeneration);
    }
}
