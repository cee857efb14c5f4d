/**
 * {@code coop console}: stream a domain's console log live and type on its console, as
 * {@code xl console} does.
 */
package org.coopvm.cli.console;
