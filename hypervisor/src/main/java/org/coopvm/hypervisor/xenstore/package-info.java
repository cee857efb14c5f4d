/**
 * xenstored: the store (nodes, permissions, generations), watches, transactions with Xen's
 * conflict rule, quotas, and the request handler table, independent of transport. Transports
 * (the Unix socket for dom0 tools, a guest's ring page) feed {@link org.coopvm.hypervisor.xenstore.Xenstored}.
 */
package org.coopvm.hypervisor.xenstore;
