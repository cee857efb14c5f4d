/**
 * {@code coop host start|stop}: running a host in this JVM or as a background JVM, finding
 * the hypervisor through {@link java.util.ServiceLoader}, and stopping it.
 */
package org.coopvm.cli.host;
