/**
 * Message channels: variable-length messages on Agrona's {@code OneToOneRingBuffer} or
 * {@code ManyToOneRingBuffer} inside a shared region, with a doorbell so an idle consumer
 * sleeps, and liveness slots so either side can tell "peer gone" from "no data". The future
 * hypercall transport.
 */
package org.coopvm.rings.channel;
