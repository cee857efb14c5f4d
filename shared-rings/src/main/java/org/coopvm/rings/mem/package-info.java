/**
 * Memory arithmetic shared by every layout: pages, alignment.
 */
package org.coopvm.rings.mem;
