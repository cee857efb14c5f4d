/**
 * Guest balloon driver, balloon stats, the host policy engine and the shipped policies. Arrive with the memory issue.
 */
package org.coopvm.balloon;
