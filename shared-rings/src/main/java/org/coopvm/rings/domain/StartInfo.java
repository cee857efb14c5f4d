package org.coopvm.rings.domain;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.rings.doorbell.PeerLiveness;
import org.coopvm.rings.mem.Pages;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import static org.coopvm.rings.domain.StartInfoDescriptor.*;

/**
 * Flyweight over a start info payload ({@link StartInfoDescriptor}). The host fills it with the
 * {@code put*} methods before the guest starts; the guest reads it, calls {@link #problem()} to
 * check every range, and decodes the workload name and arguments, which come back empty when
 * malformed rather than throwing.
 *
 * <p>Thread safety: writes from one thread before the region is handed to the guest; reads
 * from any thread afterwards. The liveness flyweights follow {@link PeerLiveness}'s rules.
 */
public final class StartInfo
{
    private AtomicBuffer buffer;

    /**
     * @param payload the start info region's payload buffer, at least {@link StartInfoDescriptor#PAYLOAD_LENGTH} bytes.
     * @return this flyweight.
     */
    public StartInfo wrap(final AtomicBuffer payload)
    {
        payload.boundsCheck(0, PAYLOAD_LENGTH);
        this.buffer = payload;
        return this;
    }

    /** @return the domain id. */
    public int domid()
    {
        return buffer.getInt(DOMID_OFFSET);
    }

    /** @param domid the domain id. @return this. */
    public StartInfo domid(final int domid)
    {
        buffer.putInt(DOMID_OFFSET, domid);
        return this;
    }

    /** @return the number of vCPUs (validate with {@link #problem()}). */
    public int nrVcpus()
    {
        return buffer.getInt(NR_VCPUS_OFFSET);
    }

    /** @param nrVcpus 1..{@link StartInfoDescriptor#MAX_VCPUS}. @return this. */
    public StartInfo nrVcpus(final int nrVcpus)
    {
        buffer.putInt(NR_VCPUS_OFFSET, nrVcpus);
        return this;
    }

    /** @return memory at boot in KiB. */
    public long memoryKib()
    {
        return buffer.getLong(MEMORY_KIB_OFFSET);
    }

    /** @param memoryKib memory at boot in KiB. @return this. */
    public StartInfo memoryKib(final long memoryKib)
    {
        buffer.putLong(MEMORY_KIB_OFFSET, memoryKib);
        return this;
    }

    /** @return maximum memory in KiB. */
    public long maxmemKib()
    {
        return buffer.getLong(MAXMEM_KIB_OFFSET);
    }

    /** @param maxmemKib maximum memory in KiB. @return this. */
    public StartInfo maxmemKib(final long maxmemKib)
    {
        buffer.putLong(MAXMEM_KIB_OFFSET, maxmemKib);
        return this;
    }

    /** @return frames in the memory region. */
    public int memoryPages()
    {
        return buffer.getInt(MEMORY_PAGES_OFFSET);
    }

    /** @param memoryPages frames in the memory region. @return this. */
    public StartInfo memoryPages(final int memoryPages)
    {
        buffer.putInt(MEMORY_PAGES_OFFSET, memoryPages);
        return this;
    }

    /** @return grant table entries. */
    public int grantEntries()
    {
        return buffer.getInt(GRANT_ENTRIES_OFFSET);
    }

    /** @param grantEntries grant table entries. @return this. */
    public StartInfo grantEntries(final int grantEntries)
    {
        buffer.putInt(GRANT_ENTRIES_OFFSET, grantEntries);
        return this;
    }

    /** @return the flags word. */
    public int flags()
    {
        return buffer.getInt(FLAGS_OFFSET);
    }

    /** @param flags the flags word. @return this. */
    public StartInfo flags(final int flags)
    {
        buffer.putInt(FLAGS_OFFSET, flags);
        return this;
    }

    /** @return whether the guest runs in the host's JVM. */
    public boolean isInProcess()
    {
        return (flags() & FLAG_IN_PROCESS) != 0;
    }

    /** @return whether the host schedules the vCPUs on CPU slots ({@link StartInfoDescriptor#FLAG_CPU_SLOTS}). */
    public boolean hasCpuSlots()
    {
        return (flags() & FLAG_CPU_SLOTS) != 0;
    }

    /** @return the hypercall channel's ring capacity in bytes. */
    public int hypercallCapacity()
    {
        return buffer.getInt(HYPERCALL_CAPACITY_OFFSET);
    }

    /** @param capacity the hypercall channel's ring capacity in bytes. @return this. */
    public StartInfo hypercallCapacity(final int capacity)
    {
        buffer.putInt(HYPERCALL_CAPACITY_OFFSET, capacity);
        return this;
    }

    /** @return the guest's xenstore event channel port (0 when the host made none). */
    public int xenstorePort()
    {
        return buffer.getInt(XENSTORE_PORT_OFFSET);
    }

    /**
     * Host: the guest's xenstore port, bound to xenstored (before the guest starts).
     *
     * @param port the guest's port.
     * @return this.
     */
    public StartInfo xenstorePort(final int port)
    {
        buffer.putInt(XENSTORE_PORT_OFFSET, port);
        return this;
    }

    /** @return a new flyweight over the host's liveness slot. */
    public PeerLiveness hostLiveness()
    {
        return new PeerLiveness().wrap(buffer, HOST_LIVENESS_OFFSET);
    }

    /** @return a new flyweight over the guest's liveness slot. */
    public PeerLiveness guestLiveness()
    {
        return new PeerLiveness().wrap(buffer, GUEST_LIVENESS_OFFSET);
    }

    /**
     * Guest: check every numeric field's range.
     *
     * @return what is wrong, or empty when the start info is usable.
     */
    public Optional<String> problem()
    {
        if (nrVcpus() < 1 || nrVcpus() > MAX_VCPUS)
        {
            return Optional.of("nr_vcpus " + nrVcpus() + " outside 1.." + MAX_VCPUS);
        }
        if (memoryKib() <= 0 || maxmemKib() < memoryKib())
        {
            return Optional.of("memory " + memoryKib() + " KiB / maxmem " + maxmemKib() + " KiB is not 0 < memory <= maxmem");
        }
        if (memoryPages() < 0 || (long)memoryPages() * Pages.PAGE_SIZE / 1024 < maxmemKib())
        {
            return Optional.of("memory region of " + memoryPages() + " frames cannot hold maxmem " + maxmemKib() + " KiB");
        }
        if (grantEntries() < 0 || hypercallCapacity() <= 0)
        {
            return Optional.of("grant entries " + grantEntries() + " or hypercall capacity " + hypercallCapacity() + " invalid");
        }
        return Optional.empty();
    }

    /**
     * Host: store the workload name.
     *
     * @param name UTF-8 length at most {@link StartInfoDescriptor#WORKLOAD_NAME_MAX_BYTES}.
     * @return this.
     * @throws IllegalArgumentException when too long.
     */
    public StartInfo workloadName(final String name)
    {
        putText(WORKLOAD_NAME_OFFSET, WORKLOAD_NAME_MAX_BYTES, name, "workload name");
        return this;
    }

    /** @return the workload name, or empty when its length or UTF-8 is malformed. */
    public Optional<String> workloadName()
    {
        return text(WORKLOAD_NAME_OFFSET, WORKLOAD_NAME_MAX_BYTES);
    }

    /**
     * Host: store the workload arguments as "key=value\n" lines, in the map's order.
     *
     * @param args keys non-empty without '=' or newline, values without newline; at most
     *             {@link StartInfoDescriptor#WORKLOAD_ARGS_MAX_BYTES} bytes encoded.
     * @return this.
     * @throws IllegalArgumentException when a key or value is invalid or the text too long.
     */
    public StartInfo workloadArgs(final Map<String, String> args)
    {
        putText(WORKLOAD_ARGS_OFFSET, WORKLOAD_ARGS_MAX_BYTES, WorkloadArgs.encode(args), "workload args");
        return this;
    }

    /** @return the workload arguments in stored order, or empty when the text is malformed. */
    public Optional<Map<String, String>> workloadArgs()
    {
        return text(WORKLOAD_ARGS_OFFSET, WORKLOAD_ARGS_MAX_BYTES).flatMap(WorkloadArgs::decode);
    }

    private void putText(final int offset, final int maxBytes, final String text, final String what)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > maxBytes)
        {
            throw new IllegalArgumentException(what + " is " + bytes.length + " UTF-8 bytes, more than " + maxBytes);
        }
        buffer.putShort(offset, (short)bytes.length);
        buffer.putBytes(offset + 2, bytes);
    }

    private Optional<String> text(final int offset, final int maxBytes)
    {
        final int length = buffer.getShort(offset) & 0xFFFF;
        if (length > maxBytes)
        {
            return Optional.empty();
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset + 2, bytes);
        try
        {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes)).toString());
        }
        catch (final CharacterCodingException ex)
        {
            return Optional.empty();
        }
    }

    /** The "key=value\n" text codec of the workload arguments. */
    static final class WorkloadArgs
    {
        private WorkloadArgs()
        {
        }

        static String encode(final Map<String, String> args)
        {
            final StringBuilder text = new StringBuilder();
            args.forEach((key, value) ->
            {
                if (key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\n') >= 0 || value.indexOf('\n') >= 0)
                {
                    throw new IllegalArgumentException("workload argument '" + key + "' has an empty key, '=' in its key or a newline");
                }
                text.append(key).append('=').append(value).append('\n');
            });
            return text.toString();
        }

        static Optional<Map<String, String>> decode(final String text)
        {
            final Map<String, String> args = new LinkedHashMap<>();
            int start = 0;
            while (start < text.length())
            {
                final int end = text.indexOf('\n', start);
                if (end < 0)
                {
                    return Optional.empty();
                }
                final int equals = text.indexOf('=', start);
                if (equals <= start || equals > end || args.put(text.substring(start, equals), text.substring(equals + 1, end)) != null)
                {
                    return Optional.empty();
                }
                start = end + 1;
            }
            return Optional.of(args);
        }
    }
}
