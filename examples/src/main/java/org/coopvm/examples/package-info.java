/**
 * Examples: workloads ({@code workload}: idle, cpu-burn, pingpong) and, in
 * {@code examples/domains/}, domain configs that run them.
 */
package org.coopvm.examples;
