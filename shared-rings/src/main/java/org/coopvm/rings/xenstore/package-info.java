/**
 * XenStore's wire ABI ({@code io/xs_wire.h}): the 16-byte message header, message types, error
 * names, an incremental message assembler for byte streams, and the
 * {@code xenstore_domain_interface} ring page shared by a guest and xenstored.
 */
package org.coopvm.rings.xenstore;
