/**
 * The {@code coop} command line: {@link org.coopvm.cli.Coop} and one class per command or
 * command group (subpackages for larger groups). Commands print; the libraries they call do not.
 */
package org.coopvm.cli;
