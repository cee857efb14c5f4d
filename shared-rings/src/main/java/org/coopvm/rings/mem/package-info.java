/**
 * Memory arithmetic shared by every layout (pages, alignment), the Linux memory calls
 * ({@link org.coopvm.rings.mem.NativeMemory}), the seqlock, and the calling thread's native id
 * ({@link org.coopvm.rings.mem.NativeThread}).
 */
package org.coopvm.rings.mem;
