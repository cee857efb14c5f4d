/**
 * Shared regions: page-aligned memory, backed by a file in the run directory (tmpfs by
 * default) or by anonymous memory, that starts with a {@link org.coopvm.rings.region.RegionHeaderDescriptor
 * header} naming its magic, ABI version, size, owner domain and type.
 *
 * <p>Everything that crosses the host/guest boundary lives in a region.
 */
package org.coopvm.rings.region;
