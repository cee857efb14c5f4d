/**
 * Xen v1 grant tables: the entry layout, status codes, the guest's grant/end-access flyweight and
 * the hypervisor's check-and-pin flyweight.
 */
package org.coopvm.rings.grant;
