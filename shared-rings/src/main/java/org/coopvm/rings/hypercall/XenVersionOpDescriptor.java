package org.coopvm.rings.hypercall;

/**
 * {@code xen_version} (op 17): commands and argument/output offsets. Argument offsets are
 * relative to {@link HypercallDescriptor#ARGS_OFFSET}, outputs (names ending {@code _OUT_OFFSET})
 * to {@link HypercallResponseDescriptor#OUTPUT_OFFSET}.
 *
 * <pre>
 *  XENVER_version      no args                 result = (major << 16) | minor
 *  XENVER_get_features +0 u32 submap index     output +0 u32 feature bits
 * </pre>
 */
public final class XenVersionOpDescriptor
{
    /** Command: the ABI version as {@code (major << 16) | minor} in the result. */
    public static final int XENVER_VERSION = 0;
    /** Command: feature bits of one submap. */
    public static final int XENVER_GET_FEATURES = 6;
    /** Argument of get_features: the submap index (u32; only 0 exists). */
    public static final int GET_FEATURES_SUBMAP_OFFSET = 0;
    /** Output of get_features: the feature bits (u32). */
    public static final int GET_FEATURES_BITS_OUT_OFFSET = 0;

    /** Major version of CoopVM's hypercall ABI. */
    public static final int ABI_MAJOR = 1;
    /** Minor version of CoopVM's hypercall ABI. */
    public static final int ABI_MINOR = 0;
    /** Feature bit (submap 0): the hypercall channel and response channels (always set). */
    public static final int FEATURE_HYPERCALL_CHANNEL = 1;
    /** Feature bit (submap 0): multicall is served. */
    public static final int FEATURE_MULTICALL = 1 << 1;

    private XenVersionOpDescriptor()
    {
    }
}
