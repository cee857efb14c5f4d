/**
 * dom0's half of the console split driver ({@code xenconsoled}'s role):
 * {@link org.coopvm.drivers.console.ConsoleBackend} finds each guest's console device in
 * xenstore, connects to its ring through the xenbus handshake, drains its output into the
 * domain's console log and writes typed input back.
 */
package org.coopvm.drivers.console;
