package org.coopvm.rings.grant;

/**
 * Xen's grant operation status codes ({@code GNTST_*}), returned by grant table operations.
 *
 * <p>Thread safety: constants only.
 */
public final class GrantStatus
{
    /** Success. */
    public static final int GNTST_OKAY = 0;
    /** Anything else, including an entry that stayed unstable for every CAS attempt. */
    public static final int GNTST_GENERAL_ERROR = -1;
    /** Unknown or unsuitable domain. */
    public static final int GNTST_BAD_DOMAIN = -2;
    /** Grant reference out of range. */
    public static final int GNTST_BAD_GNTREF = -3;
    /** Unknown map handle. */
    public static final int GNTST_BAD_HANDLE = -4;
    /** The caller may not do this. */
    public static final int GNTST_PERMISSION_DENIED = -8;
    /** Frame outside the granter's memory. */
    public static final int GNTST_BAD_PAGE = -9;
    /** Copy arguments out of range (crossing a page, bad flags). */
    public static final int GNTST_BAD_COPY_ARG = -10;
    /** Try again. */
    public static final int GNTST_EAGAIN = -12;
    /** Out of handles or table space. */
    public static final int GNTST_NO_SPACE = -13;

    private GrantStatus()
    {
    }

    /**
     * @param status a status code.
     * @return its Xen name, e.g. {@code GNTST_bad_gntref}, or {@code GNTST_<n>} when unknown.
     */
    public static String name(final int status)
    {
        return switch (status)
        {
            case GNTST_OKAY -> "GNTST_okay";
            case GNTST_GENERAL_ERROR -> "GNTST_general_error";
            case GNTST_BAD_DOMAIN -> "GNTST_bad_domain";
            case GNTST_BAD_GNTREF -> "GNTST_bad_gntref";
            case GNTST_BAD_HANDLE -> "GNTST_bad_handle";
            case GNTST_PERMISSION_DENIED -> "GNTST_permission_denied";
            case GNTST_BAD_PAGE -> "GNTST_bad_page";
            case GNTST_BAD_COPY_ARG -> "GNTST_bad_copy_arg";
            case GNTST_EAGAIN -> "GNTST_eagain";
            case GNTST_NO_SPACE -> "GNTST_no_space";
            default -> "GNTST_" + status;
        };
    }
}
