package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsErrno;
import org.coopvm.rings.xenstore.XsHeaderDescriptor;

/**
 * Path rules as Xen's {@code is_valid_nodename}: absolute paths start with '/', have no empty
 * component ({@code //}) and no trailing '/' (except the root), use only letters, digits and
 * {@code -/_@}; relative paths are under {@code /local/domain/<domid>}; special watch paths
 * start with '@'.
 *
 * <p>Thread safety: stateless.
 */
public final class XsPaths
{
    /** Root of the domains' home directories. */
    public static final String DOMAIN_ROOT = "/local/domain";

    private XsPaths()
    {
    }

    /**
     * @param domid a domain.
     * @return its home path.
     */
    public static String domainPath(final int domid)
    {
        return DOMAIN_ROOT + "/" + domid;
    }

    /**
     * Makes a client's path absolute and checks it.
     *
     * @param domid the client's domain (relative paths are under its home).
     * @param path  the path as sent (untrusted).
     * @return the absolute path.
     * @throws XsException EINVAL for a malformed or over-long path.
     */
    public static String canonical(final int domid, final String path)
    {
        if (path.startsWith("/"))
        {
            checkLength(path, XsHeaderDescriptor.ABS_PATH_MAX);
            return checked(path);
        }
        checkLength(path, XsHeaderDescriptor.REL_PATH_MAX);
        if (path.isEmpty())
        {
            throw new XsException(XsErrno.EINVAL);
        }
        return checked(domainPath(domid) + "/" + path);
    }

    /**
     * Like {@link #canonical} but also accepts special '@' paths (watches).
     */
    public static String canonicalWatch(final int domid, final String path)
    {
        if (path.startsWith("@"))
        {
            checkLength(path, XsHeaderDescriptor.ABS_PATH_MAX);
            checkCharacters(path.substring(1));
            return path;
        }
        return canonical(domid, path);
    }

    /** @return true for a special '@' path. */
    public static boolean special(final String path)
    {
        return path.startsWith("@");
    }

    /** @return the parent of an absolute path other than the root. */
    public static String parent(final String path)
    {
        final int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    /** @return the last component of an absolute path other than the root. */
    public static String name(final String path)
    {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** @return the child's absolute path. */
    public static String child(final String parent, final String name)
    {
        return "/".equals(parent) ? "/" + name : parent + "/" + name;
    }

    /** @return true when {@code path} is {@code ancestor} or below it. */
    public static boolean atOrBelow(final String path, final String ancestor)
    {
        if ("/".equals(ancestor))
        {
            return path.startsWith("/");
        }
        return path.equals(ancestor) || path.startsWith(ancestor) && path.length() > ancestor.length()
            && path.charAt(ancestor.length()) == '/';
    }

    private static void checkLength(final String path, final int max)
    {
        if (path.length() > max)
        {
            throw new XsException(XsErrno.EINVAL);
        }
    }

    private static String checked(final String path)
    {
        if ("/".equals(path))
        {
            return path;
        }
        if (path.endsWith("/") || path.contains("//"))
        {
            throw new XsException(XsErrno.EINVAL);
        }
        checkCharacters(path);
        return path;
    }

    private static void checkCharacters(final String text)
    {
        for (int i = 0; i < text.length(); i++)
        {
            final char c = text.charAt(i);
            final boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-/_@".indexOf(c) >= 0;
            if (!ok)
            {
                throw new XsException(XsErrno.EINVAL);
            }
        }
    }
}
