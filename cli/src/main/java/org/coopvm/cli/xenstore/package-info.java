/**
 * {@code coop xenstore ...}: dom0's xenstore verbs over xenstored's Unix socket, without Xen's tools.
 */
package org.coopvm.cli.xenstore;
