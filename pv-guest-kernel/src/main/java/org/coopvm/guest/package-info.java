/**
 * The CoopVM guest kernel: boot, vCPUs and cooperative tasks, page allocator, event upcalls, hypercall stubs, xenbus client, workload API. Arrives with the hypervisor issue.
 */
package org.coopvm.guest;
