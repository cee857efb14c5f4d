/**
 * Micrometer metrics of the hypervisor, served for Prometheus at {@code /metrics}.
 */
package org.coopvm.hypervisor.metrics;
