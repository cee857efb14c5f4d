/**
 * Guest swap: the {@code swap} guest driver puts the guest's {@link org.coopvm.guest.mem.SwapSpace}
 * on the blkif disk the domain config names ({@code swap = 'xvdb'}, given to the guest in
 * xenstore's {@code swap/device}), so swappable pages go out to it when memory is short and come
 * back on access.
 */
package org.coopvm.guest.swap;
