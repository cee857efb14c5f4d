package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenbus.XenstoreAccessException;
import org.coopvm.rings.xenbus.XenstoreNodes;
import org.coopvm.rings.xenstore.XsErrno;
import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link XenstoreNodes} as xs_wire requests carrying one transaction id (0: none), over whatever
 * sends a request and returns its reply ({@link #call(XsMessage)}). Missing nodes become values
 * here; ERROR replies become {@link XenstoreAccessException}s.
 *
 * <p>Thread safety: as {@link #call(XsMessage)}.
 */
abstract class XsWireNodes implements XenstoreNodes
{
    private final int txId;

    XsWireNodes(final int txId)
    {
        this.txId = txId;
    }

    /**
     * @param request a request with this object's transaction id.
     * @return its reply (never an ERROR reply).
     * @throws XenstoreAccessException with the errno of an ERROR reply.
     */
    abstract XsMessage call(XsMessage request);

    @Override
    public Optional<String> read(final String path)
    {
        try
        {
            return Optional.of(call(XsMessageType.READ, path).text());
        }
        catch (final XenstoreAccessException ex)
        {
            return missing(ex, Optional.empty());
        }
    }

    @Override
    public void write(final String path, final String value)
    {
        call(XsMessage.write(txId, path, value.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void mkdir(final String path)
    {
        call(XsMessageType.MKDIR, path);
    }

    @Override
    public void rm(final String path)
    {
        try
        {
            call(XsMessageType.RM, path);
        }
        catch (final XenstoreAccessException ex)
        {
            missing(ex, null);
        }
    }

    @Override
    public List<String> directory(final String path)
    {
        try
        {
            return call(XsMessageType.DIRECTORY, path).strings();
        }
        catch (final XenstoreAccessException ex)
        {
            return missing(ex, List.of());
        }
    }

    @Override
    public void setPermissions(final String path, final List<String> permissions)
    {
        final List<String> args = new ArrayList<>(permissions.size() + 1);
        args.add(path);
        args.addAll(permissions);
        call(XsMessageType.SET_PERMS, args.toArray(String[]::new));
    }

    /** @return the reply to a request of strings with this object's transaction id. */
    final XsMessage call(final XsMessageType type, final String... strings)
    {
        return call(XsMessage.ofStrings(type, 0, txId, strings));
    }

    /** @return {@code absent} when the error is ENOENT; rethrows any other. */
    private static <T> T missing(final XenstoreAccessException ex, final T absent)
    {
        if (ex.errno() != XsErrno.ENOENT)
        {
            throw ex;
        }
        return absent;
    }
}
