package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsErrno;
import org.coopvm.rings.xenstore.XsMessageType;

/**
 * Handlers of GET_DOMAIN_PATH, INTRODUCE, RELEASE and IS_DOMAIN_INTRODUCED; the last three are
 * for dom0 only.
 *
 * <p>Thread safety: called under {@link Xenstored}'s lock.
 */
final class DomainHandlers
{
    private final Xenstored xenstored;

    DomainHandlers(final Xenstored xenstored)
    {
        this.xenstored = xenstored;
    }

    void registerIn(final RequestTable table)
    {
        table.register(XsMessageType.GET_DOMAIN_PATH, this::domainPath);
        table.register(XsMessageType.INTRODUCE, this::introduce);
        table.register(XsMessageType.RELEASE, this::release);
        table.register(XsMessageType.IS_DOMAIN_INTRODUCED, this::isIntroduced);
    }

    private byte[] domainPath(final Request request)
    {
        return Replies.string(XsPaths.domainPath(domid(request.arg())));
    }

    private byte[] introduce(final Request request)
    {
        privileged(request);
        xenstored.introduceLocked(domid(request.args(3).getFirst()), request.events());
        return Replies.OK;
    }

    private byte[] release(final Request request)
    {
        privileged(request);
        xenstored.releaseLocked(domid(request.arg()), request.events());
        return Replies.OK;
    }

    private byte[] isIntroduced(final Request request)
    {
        privileged(request);
        return Replies.string(xenstored.introducedLocked(domid(request.arg())) ? "T" : "F");
    }

    private static void privileged(final Request request)
    {
        if (request.domid() != 0)
        {
            throw new XsException(XsErrno.EACCES);
        }
    }

    static int domid(final String text)
    {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9'))
        {
            throw new XsException(XsErrno.EINVAL);
        }
        final int domid = Integer.parseInt(text);
        if (domid > Permissions.MAX_DOMID)
        {
            throw new XsException(XsErrno.EINVAL);
        }
        return domid;
    }
}
