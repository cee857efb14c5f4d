/**
 * The guest half of the console split driver: {@link org.coopvm.guest.console.ConsoleFrontend}
 * writes the console to a Xen {@code io/console.h} ring in a page granted to dom0, reads typed
 * input from it, and announces the ring to dom0 as the xenbus device {@code device/console/0}.
 */
package org.coopvm.guest.console;
