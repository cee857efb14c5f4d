package org.coopvm.rings.domain;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

import static org.coopvm.rings.domain.SharedInfoDescriptor.vcpuInfoOffset;
import static org.coopvm.rings.domain.VcpuInfoDescriptor.*;

/**
 * The runstate part of each vcpu_info, guarded by a seqlock: the host (the only writer) makes
 * the sequence odd, writes, then makes it even again; a reader retries until it saw the same
 * even sequence before and after its reads.
 *
 * <p>Thread safety: {@link #write} from one host thread per domain; {@link #read} from any
 * thread of either side (each caller with its own snapshot).
 */
public final class Runstate
{
    /** Attempts {@link #read} makes before it gives up on a writer that never finishes. */
    public static final int MAX_READ_ATTEMPTS = 1000;

    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

    private MemorySegment payload;

    /**
     * @param sharedInfoPayload the shared info region's payload.
     * @return this flyweight.
     */
    public Runstate wrap(final MemorySegment sharedInfoPayload)
    {
        if (sharedInfoPayload.byteSize() < SharedInfoDescriptor.PAYLOAD_LENGTH)
        {
            throw new IllegalArgumentException("shared info payload shorter than " + SharedInfoDescriptor.PAYLOAD_LENGTH);
        }
        this.payload = sharedInfoPayload;
        return this;
    }

    /**
     * Host: publish a vCPU's runstate.
     *
     * @param vcpu        0..31.
     * @param state       one of the {@code VcpuInfoDescriptor.RUNSTATE_*} values.
     * @param entryTimeNs when the vCPU entered {@code state}, host clock.
     * @param timesNs     ns spent in each runstate, {@link VcpuInfoDescriptor#RUNSTATE_COUNT} values.
     */
    public void write(final int vcpu, final int state, final long entryTimeNs, final long[] timesNs)
    {
        final long base = vcpuInfoOffset(vcpu);
        final int seq = (int)INT.getVolatile(payload, base + RUNSTATE_SEQ_OFFSET);
        INT.setVolatile(payload, base + RUNSTATE_SEQ_OFFSET, seq | 1);
        VarHandle.storeStoreFence();
        payload.set(ValueLayout.JAVA_INT, base + RUNSTATE_STATE_OFFSET, state);
        payload.set(ValueLayout.JAVA_LONG, base + RUNSTATE_ENTRY_TIME_OFFSET, entryTimeNs);
        for (int i = 0; i < RUNSTATE_COUNT; i++)
        {
            payload.set(ValueLayout.JAVA_LONG, base + RUNSTATE_TIME_OFFSET + i * 8L, timesNs[i]);
        }
        INT.setRelease(payload, base + RUNSTATE_SEQ_OFFSET, (seq | 1) + 1);
    }

    /**
     * Read a consistent copy of a vCPU's runstate.
     *
     * @param vcpu 0..31.
     * @param into where to copy.
     * @return {@code false} when no consistent copy was seen in {@link #MAX_READ_ATTEMPTS} tries.
     */
    public boolean read(final int vcpu, final RunstateSnapshot into)
    {
        final long base = vcpuInfoOffset(vcpu);
        for (int attempt = 0; attempt < MAX_READ_ATTEMPTS; attempt++)
        {
            final int before = (int)INT.getAcquire(payload, base + RUNSTATE_SEQ_OFFSET);
            if ((before & 1) != 0)
            {
                Thread.onSpinWait();
                continue;
            }
            into.state = payload.get(ValueLayout.JAVA_INT, base + RUNSTATE_STATE_OFFSET);
            into.entryTimeNs = payload.get(ValueLayout.JAVA_LONG, base + RUNSTATE_ENTRY_TIME_OFFSET);
            for (int i = 0; i < RUNSTATE_COUNT; i++)
            {
                into.timesNs[i] = payload.get(ValueLayout.JAVA_LONG, base + RUNSTATE_TIME_OFFSET + i * 8L);
            }
            VarHandle.loadLoadFence();
            if ((int)INT.getVolatile(payload, base + RUNSTATE_SEQ_OFFSET) == before)
            {
                return true;
            }
        }
        return false;
    }

    /** A private copy of one vCPU's runstate; mutable, reused by its owner. */
    public static final class RunstateSnapshot
    {
        /** One of the {@code VcpuInfoDescriptor.RUNSTATE_*} values. */
        public int state;
        /** When the vCPU entered {@link #state}, host clock ns. */
        public long entryTimeNs;
        /** ns spent in each runstate. */
        public final long[] timesNs = new long[RUNSTATE_COUNT];
    }
}
