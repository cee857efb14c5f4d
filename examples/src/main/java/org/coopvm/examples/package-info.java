/**
 * Examples: workloads ({@code workload}: idle, cpu-burn, pingpong, console-echo, xenstore-watch,
 * and the memory workloads cache and hog) and, in {@code examples/domains/}, domain configs that
 * run them.
 */
package org.coopvm.examples;
