package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsErrno;
import org.coopvm.rings.xenstore.XsHeaderDescriptor;
import org.coopvm.rings.xenstore.XsMessageType;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Handlers of the node requests: DIRECTORY, DIRECTORY_PART, READ, WRITE, MKDIR, RM, GET_PERMS,
 * SET_PERMS.
 *
 * <p>Thread safety: called under {@link Xenstored}'s lock.
 */
final class NodeHandlers
{
    private final NodeOps ops;

    NodeHandlers(final NodeOps ops)
    {
        this.ops = ops;
    }

    void registerIn(final RequestTable table)
    {
        table.register(XsMessageType.DIRECTORY, this::directory);
        table.register(XsMessageType.DIRECTORY_PART, this::directoryPart);
        table.register(XsMessageType.READ, this::read);
        table.register(XsMessageType.WRITE, this::write);
        table.register(XsMessageType.MKDIR, this::mkdir);
        table.register(XsMessageType.RM, this::rm);
        table.register(XsMessageType.GET_PERMS, this::getPerms);
        table.register(XsMessageType.SET_PERMS, this::setPerms);
    }

    private byte[] directory(final Request request)
    {
        return Replies.nulTerminated(ops.read(request.view(), request.domid(), request.path()).children());
    }

    private byte[] directoryPart(final Request request)
    {
        final List<String> args = request.args(2);
        final Node node = ops.read(request.view(), request.domid(), XsPaths.canonical(request.domid(), args.getFirst()));
        final byte[] all = Replies.nulTerminated(node.children());
        final int offset = offset(args.get(1), all.length);
        final byte[] generation = Replies.string(Long.toString(node.generation()));
        final int room = XsHeaderDescriptor.PAYLOAD_MAX - generation.length - 1;
        int end = all.length;
        if (end - offset > room)
        {
            end = offset + room;
            while (end > offset && all[end - 1] != 0)
            {
                end--;
            }
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(generation);
        out.write(all, offset, end - offset);
        if (end == all.length)
        {
            out.write(0);
        }
        return out.toByteArray();
    }

    private static int offset(final String text, final int limit)
    {
        try
        {
            final int offset = Integer.parseInt(text);
            if (offset < 0 || offset > limit)
            {
                throw new XsException(XsErrno.EINVAL);
            }
            return offset;
        }
        catch (final NumberFormatException e)
        {
            throw new XsException(XsErrno.EINVAL);
        }
    }

    private byte[] read(final Request request)
    {
        return ops.read(request.view(), request.domid(), request.path()).value().clone();
    }

    private byte[] write(final Request request)
    {
        final byte[] payload = request.message().payload();
        int nul = 0;
        while (nul < payload.length && payload[nul] != 0)
        {
            nul++;
        }
        if (nul == payload.length)
        {
            throw new XsException(XsErrno.EINVAL);
        }
        final String path = XsPaths.canonical(request.domid(), new String(payload, 0, nul, StandardCharsets.UTF_8));
        ops.write(request.view(), request.domid(), path, Arrays.copyOfRange(payload, nul + 1, payload.length),
            request.events());
        return Replies.OK;
    }

    private byte[] mkdir(final Request request)
    {
        ops.mkdir(request.view(), request.domid(), request.path(), request.events());
        return Replies.OK;
    }

    private byte[] rm(final Request request)
    {
        ops.rm(request.view(), request.domid(), request.path(), request.events());
        return Replies.OK;
    }

    private byte[] getPerms(final Request request)
    {
        return Replies.nulTerminated(ops.read(request.view(), request.domid(), request.path()).perms().texts());
    }

    private byte[] setPerms(final Request request)
    {
        final List<String> args = request.message().strings();
        if (args.size() < 2)
        {
            throw new XsException(XsErrno.EINVAL);
        }
        final String path = XsPaths.canonical(request.domid(), args.getFirst());
        ops.setPerms(request.view(), request.domid(), path, Permissions.parse(args.subList(1, args.size())),
            request.events());
        return Replies.OK;
    }
}
