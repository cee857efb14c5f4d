package org.coopvm.hypervisor.xenstore;

/**
 * Where requests read and change nodes: the live store, or a transaction's private view of it.
 *
 * <p>Thread safety: used under {@link Xenstored}'s lock.
 */
public interface NodeView
{
    /**
     * @param path an absolute, valid path.
     * @return the node, or null when there is none.
     */
    Node node(String path);

    /**
     * Stores a node (new or changed).
     *
     * @param path an absolute, valid path.
     * @param node the node.
     */
    void put(String path, Node node);

    /**
     * Removes one node (not its children; callers remove those first).
     *
     * @param path an absolute, valid path.
     */
    void remove(String path);

    /**
     * @param domid a domain.
     * @return how many nodes it owns, as this view sees it.
     */
    int nodesOwnedBy(int domid);
}
