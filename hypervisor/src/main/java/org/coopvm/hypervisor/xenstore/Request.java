package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsErrno;
import org.coopvm.rings.xenstore.XsMessage;

import java.util.ArrayList;
import java.util.List;

/**
 * One request being served: who sent it, the message (a private copy), the view it works on
 * (the store or its transaction), and what it leaves behind (watch events, a follow-up to send
 * after the reply).
 *
 * <p>Thread safety: used under {@link Xenstored}'s lock.
 */
final class Request
{
    private final XenstoreSession session;
    private final XsMessage message;
    private final NodeView view;
    private final List<WatchEvent> events = new ArrayList<>();
    private Runnable afterReply;

    Request(final XenstoreSession session, final XsMessage message, final NodeView view)
    {
        this.session = session;
        this.message = message;
        this.view = view;
    }

    XenstoreSession session()
    {
        return session;
    }

    int domid()
    {
        return session.domid();
    }

    XsMessage message()
    {
        return message;
    }

    NodeView view()
    {
        return view;
    }

    List<WatchEvent> events()
    {
        return events;
    }

    Runnable afterReply()
    {
        return afterReply;
    }

    void afterReply(final Runnable action)
    {
        this.afterReply = action;
    }

    /** @return the NUL-separated arguments; EINVAL unless there are exactly {@code count}. */
    List<String> args(final int count)
    {
        final List<String> args = message.strings();
        if (args.size() != count)
        {
            throw new XsException(XsErrno.EINVAL);
        }
        return args;
    }

    /** @return the single argument. */
    String arg()
    {
        return args(1).getFirst();
    }

    /** @return the first argument as an absolute, valid path. */
    String path()
    {
        return XsPaths.canonical(domid(), arg());
    }
}
