/**
 * dom0's half of the console split driver ({@code xenconsoled}'s role):
 * {@link org.coopvm.drivers.console.ConsoleBackend} maps each guest's console ring, drains its
 * output into the domain's console log and writes typed input back.
 */
package org.coopvm.drivers.console;
