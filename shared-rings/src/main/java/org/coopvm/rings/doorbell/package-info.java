/**
 * Doorbells: futex words in shared mappings that let a consumer sleep when idle and a
 * producer wake it across processes with one system call, only when it announced it sleeps.
 */
package org.coopvm.rings.doorbell;
