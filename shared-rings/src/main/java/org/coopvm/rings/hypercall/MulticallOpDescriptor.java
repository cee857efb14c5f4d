package org.coopvm.rings.hypercall;

/**
 * {@code multicall} (op 13): a batch of hypercalls answered with one response. The header's
 * command is ignored. Arguments are relative to {@link HypercallDescriptor#ARGS_OFFSET}; entry
 * fields to the entry's start; the output is one i64 result per entry, in order, from
 * {@link HypercallResponseDescriptor#OUTPUT_OFFSET}. The response's result is the number of
 * entries run. Outputs other than the result are dropped, and calls that would be answered later
 * (block, poll) or nested multicalls get {@code -EINVAL}.
 *
 * <pre>
 *  +0 u32 count (<= 32), then count entries:
 *     +0 u32 op, +4 u32 cmd, +8 u32 args length, +12 args (that many bytes)
 * </pre>
 */
public final class MulticallOpDescriptor
{
    /** Argument: number of entries (u32). */
    public static final int COUNT_OFFSET = 0;
    /** Argument: the first entry. */
    public static final int ENTRIES_OFFSET = 4;
    /** Entry field: hypercall number (u32). */
    public static final int ENTRY_OP_OFFSET = 0;
    /** Entry field: sub-command (u32). */
    public static final int ENTRY_CMD_OFFSET = 4;
    /** Entry field: length of the entry's arguments (u32). */
    public static final int ENTRY_ARGS_LENGTH_OFFSET = 8;
    /** Entry field: the entry's arguments. */
    public static final int ENTRY_ARGS_OFFSET = 12;
    /** Most entries in one multicall. */
    public static final int MAX_CALLS = 32;

    private MulticallOpDescriptor()
    {
    }
}
