/**
 * Guest memory: the page allocator over the frames of the domain's memory region.
 */
package org.coopvm.guest.mem;
