/**
 * The guest half of the console split driver: {@link org.coopvm.guest.console.ConsoleFrontend}
 * writes the console to a Xen {@code io/console.h} ring in a page granted to dom0 and reads
 * typed input from it.
 */
package org.coopvm.guest.console;
