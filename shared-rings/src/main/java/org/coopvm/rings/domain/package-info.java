/**
 * Per-domain ABI regions: the start info a guest boots from, the shared info with Xen's 2-level
 * event channel bitmaps and vcpu_info, and the names of a domain's files in the run directory.
 */
package org.coopvm.rings.domain;
