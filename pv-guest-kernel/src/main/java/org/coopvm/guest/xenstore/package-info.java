/**
 * The guest's xenstore client over its ring page ({@code xenstore_domain_interface}): reads,
 * writes, directories, removal, watches with callbacks, transactions retried on EAGAIN.
 */
package org.coopvm.guest.xenstore;
