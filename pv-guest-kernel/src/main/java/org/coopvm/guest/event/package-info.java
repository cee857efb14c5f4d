/**
 * Event upcalls: handlers per port, dispatched on the vCPU the port is bound to.
 */
package org.coopvm.guest.event;
