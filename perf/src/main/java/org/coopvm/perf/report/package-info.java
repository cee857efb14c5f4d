/**
 * Benchmark results: figures, the goals they are judged against, and the table and JSON
 * that {@code coop bench rings} prints and writes. Pure data and formatting; no measuring here.
 */
package org.coopvm.perf.report;
