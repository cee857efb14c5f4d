/**
 * The hypercall dispatcher agent: copies each request from a domain's hypercall channel, validates
 * it, serves it through per-op handler tables, answers on the caller's response channel (or later,
 * for block and poll), runs vCPU timers and watchdogs, and shuts down guests that keep sending
 * garbage.
 */
package org.coopvm.hypervisor.hypercall;
