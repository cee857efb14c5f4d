package org.coopvm.rings.channel;

/**
 * Which Agrona ring buffer a channel uses, stored as a u32 code in the channel's control page.
 * Codes are part of the ABI: never renumber, only add.
 */
public enum ChannelKind
{
    /** One producer thread, one consumer thread: Agrona {@code OneToOneRingBuffer}. */
    ONE_TO_ONE(1),
    /** Any number of producer threads (in one or more processes), one consumer: {@code ManyToOneRingBuffer}. */
    MANY_TO_ONE(2);

    private final int code;

    ChannelKind(final int code)
    {
        this.code = code;
    }

    /** @return the u32 stored in {@link ChannelDescriptor#KIND_OFFSET}. */
    public int code()
    {
        return code;
    }

    /**
     * @param code a code read from a control page.
     * @return the kind, or {@code null} when the code is unknown.
     */
    public static ChannelKind fromCode(final int code)
    {
        for (final ChannelKind kind : values())
        {
            if (kind.code == code)
            {
                return kind;
            }
        }
        return null;
    }
}
