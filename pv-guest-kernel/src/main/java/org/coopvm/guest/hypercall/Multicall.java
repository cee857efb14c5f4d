package org.coopvm.guest.hypercall;

import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.coopvm.rings.hypercall.ConsoleIoOpDescriptor;
import org.coopvm.rings.hypercall.EventChannelOpDescriptor;
import org.coopvm.rings.hypercall.HypercallOp;
import org.coopvm.rings.hypercall.MulticallOpDescriptor;
import org.coopvm.rings.hypercall.SchedOpDescriptor;

/**
 * Builds a batch for {@link Hypercalls#multicall(Multicall)}: entries {u32 op, u32 cmd, u32 args
 * length, args}, at most {@link MulticallOpDescriptor#MAX_CALLS}. Reusable after {@link #clear()}.
 *
 * <p>Thread safety: one thread.
 */
public final class Multicall
{
    private final ExpandableArrayBuffer entries = new ExpandableArrayBuffer(256);
    private int count;
    private int length;

    /**
     * Add a call with raw arguments.
     *
     * @param op         the hypercall number.
     * @param cmd        the sub-command.
     * @param args       the argument bytes.
     * @param offset     where they start.
     * @param argsLength how many.
     * @return this builder.
     * @throws IllegalStateException when the batch already holds {@link MulticallOpDescriptor#MAX_CALLS}.
     */
    public Multicall add(final int op, final int cmd, final DirectBuffer args, final int offset, final int argsLength)
    {
        final int at = begin(op, cmd, argsLength);
        entries.putBytes(at + MulticallOpDescriptor.ENTRY_ARGS_OFFSET, args, offset, argsLength);
        return this;
    }

    /**
     * @param port the local port to notify.
     * @return this builder.
     */
    public Multicall evtchnSend(final int port)
    {
        final int at = begin(HypercallOp.EVENT_CHANNEL_OP, EventChannelOpDescriptor.EVTCHNOP_SEND, 4);
        entries.putInt(at + MulticallOpDescriptor.ENTRY_ARGS_OFFSET + EventChannelOpDescriptor.PORT_OFFSET, port);
        return this;
    }

    /** @return this builder, with a {@code SCHEDOP_yield} added. */
    public Multicall schedYield()
    {
        begin(HypercallOp.SCHED_OP, SchedOpDescriptor.SCHEDOP_YIELD, 0);
        return this;
    }

    /**
     * @param bytes console bytes, at most {@link ConsoleIoOpDescriptor#MAX_WRITE_BYTES}.
     * @return this builder.
     */
    public Multicall consoleWrite(final byte[] bytes)
    {
        final int at = begin(HypercallOp.CONSOLE_IO, ConsoleIoOpDescriptor.CONSOLEIO_WRITE,
            ConsoleIoOpDescriptor.WRITE_BYTES_OFFSET + bytes.length) + MulticallOpDescriptor.ENTRY_ARGS_OFFSET;
        entries.putInt(at + ConsoleIoOpDescriptor.WRITE_LENGTH_OFFSET, bytes.length);
        entries.putBytes(at + ConsoleIoOpDescriptor.WRITE_BYTES_OFFSET, bytes);
        return this;
    }

    /** @return entries added. */
    public int count()
    {
        return count;
    }

    /** Empty the batch. */
    public void clear()
    {
        count = 0;
        length = 0;
    }

    /**
     * Write the multicall arguments (count, then the entries).
     *
     * @param dst    where.
     * @param offset at which offset.
     * @return bytes written.
     */
    int writeArgs(final MutableDirectBuffer dst, final int offset)
    {
        dst.putInt(offset + MulticallOpDescriptor.COUNT_OFFSET, count);
        dst.putBytes(offset + MulticallOpDescriptor.ENTRIES_OFFSET, entries, 0, length);
        return MulticallOpDescriptor.ENTRIES_OFFSET + length;
    }

    private int begin(final int op, final int cmd, final int argsLength)
    {
        if (count == MulticallOpDescriptor.MAX_CALLS)
        {
            throw new IllegalStateException("a multicall holds at most " + MulticallOpDescriptor.MAX_CALLS + " calls");
        }
        final int at = length;
        entries.putInt(at + MulticallOpDescriptor.ENTRY_OP_OFFSET, op);
        entries.putInt(at + MulticallOpDescriptor.ENTRY_CMD_OFFSET, cmd);
        entries.putInt(at + MulticallOpDescriptor.ENTRY_ARGS_LENGTH_OFFSET, argsLength);
        length += MulticallOpDescriptor.ENTRY_ARGS_OFFSET + argsLength;
        count++;
        return at;
    }
}
