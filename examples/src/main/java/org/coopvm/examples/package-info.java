/**
 * Example workloads, domain configs and scenarios. Arrive with the issues that need them.
 */
package org.coopvm.examples;
