/**
 * Guest memory: {@link org.coopvm.guest.mem.GuestMemory}, a buddy allocator over the frames of
 * the domain's memory region with the workload API ({@link org.coopvm.guest.mem.Allocation},
 * {@link org.coopvm.guest.mem.AllocationResult}), reclaimable caches and their figures
 * ({@link org.coopvm.guest.mem.ReclaimableCache}, {@link org.coopvm.guest.mem.MemoryStats}), and
 * the offline/online operations the balloon driver uses ({@link org.coopvm.guest.mem.FrameRanges}).
 */
package org.coopvm.guest.mem;
