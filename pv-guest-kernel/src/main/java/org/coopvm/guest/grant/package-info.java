/**
 * Grants, guest side: handing out grant references for our frames ({@link org.coopvm.guest.grant.GrantTable})
 * and mapping pages other domains granted us ({@link org.coopvm.guest.grant.GrantMapper}).
 */
package org.coopvm.guest.grant;
