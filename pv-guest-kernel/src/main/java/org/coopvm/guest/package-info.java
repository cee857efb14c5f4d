/**
 * The CoopVM guest kernel. {@link org.coopvm.guest.GuestKernel#boot} brings a domain up from its
 * {@link org.coopvm.guest.BootRegions} (files a process guest attaches, or regions an in-process
 * host hands over): vCPU threads running cooperative tasks ({@code task}), event upcalls
 * ({@code event}), hypercall stubs ({@code hypercall}), grants ({@code grant}), the page
 * allocator ({@code mem}), the guest driver SPI ({@code driver}) and the workload SPI
 * ({@code workload}). {@link org.coopvm.guest.GuestMain}
 * is the main class of a process guest.
 */
package org.coopvm.guest;
