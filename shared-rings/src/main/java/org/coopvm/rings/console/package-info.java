/**
 * Xen's console ring ({@code io/console.h}), byte-compatible on x86-64: the page layout
 * ({@link org.coopvm.rings.console.ConsoleRingDescriptor}), a producer
 * ({@link org.coopvm.rings.console.ConsoleRingWriter}) and a consumer
 * ({@link org.coopvm.rings.console.ConsoleRingReader}) of either half. Peer-written indices are
 * read once and bounded; a peer claiming more bytes than the ring holds is counted as corrupt,
 * never followed out of bounds.
 */
package org.coopvm.rings.console;
