package org.coopvm.rings.grant;

import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.rings.grant.GrantEntryDescriptor.*;

class GrantTableFlyweightTest
{
    private static final int ENTRIES = 1024;
    private static final int GRANTEE = 2;
    private static final long FRAMES = 100;

    private final SharedRegion region = SharedRegion.createAnonymous(RegionType.GRANT_TABLE, 1, ENTRIES * ENTRY_LENGTH);
    private final GrantTableFrontend guest = new GrantTableFrontend().wrap(region.payload(), ENTRIES);
    private final GrantTableBackend host = new GrantTableBackend().wrap(region.payload(), ENTRIES);

    @AfterEach
    void close()
    {
        region.close();
    }

    @Test
    void grantPublishesTheXenV1Entry()
    {
        assertThat(guest.grantAccess(8, GRANTEE, 42, true)).isEqualTo(GrantStatus.GNTST_OKAY);

        assertThat(region.payloadBuffer().getShort(8 * ENTRY_LENGTH + FLAGS_OFFSET)).isEqualTo((short)(GTF_PERMIT_ACCESS | GTF_READONLY));
        assertThat(region.payloadBuffer().getShort(8 * ENTRY_LENGTH + DOMID_OFFSET)).isEqualTo((short)GRANTEE);
        assertThat(region.payloadBuffer().getInt(8 * ENTRY_LENGTH + FRAME_OFFSET)).isEqualTo(42);
    }

    @Test
    void grantRefusesBadRefDomainAndAnEntryInUse()
    {
        assertThat(guest.grantAccess(ENTRIES, GRANTEE, 1, false)).isEqualTo(GrantStatus.GNTST_BAD_GNTREF);
        assertThat(guest.grantAccess(-1, GRANTEE, 1, false)).isEqualTo(GrantStatus.GNTST_BAD_GNTREF);
        assertThat(guest.grantAccess(3, 0x10000, 1, false)).isEqualTo(GrantStatus.GNTST_BAD_DOMAIN);
        guest.grantAccess(3, GRANTEE, 1, false);
        assertThat(guest.grantAccess(3, GRANTEE, 2, false)).isEqualTo(GrantStatus.GNTST_GENERAL_ERROR);
    }

    @Test
    void acquireSetsReadingAndWritingAndReturnsTheFrame()
    {
        guest.grantAccess(5, GRANTEE, 42, false);

        assertThat(host.acquire(5, GRANTEE, false, FRAMES)).isEqualTo(42);
        assertThat(guest.flags(5) & (GTF_READING | GTF_WRITING)).isEqualTo(GTF_READING | GTF_WRITING);
        assertThat(guest.isInUse(5)).isTrue();
    }

    @Test
    void readonlyAcquireSetsOnlyReading()
    {
        guest.grantAccess(5, GRANTEE, 42, true);

        assertThat(host.acquire(5, GRANTEE, true, FRAMES)).isEqualTo(42);
        assertThat(guest.flags(5) & (GTF_READING | GTF_WRITING)).isEqualTo(GTF_READING);
    }

    @Test
    void acquireChecksAsXen()
    {
        guest.grantAccess(5, GRANTEE, 42, true);
        guest.grantAccess(6, GRANTEE, (int)FRAMES, false);

        assertThat(host.acquire(ENTRIES, GRANTEE, true, FRAMES)).isEqualTo(GrantStatus.GNTST_BAD_GNTREF);
        assertThat(host.acquire(5, 3, true, FRAMES)).as("wrong grantee").isEqualTo(GrantStatus.GNTST_GENERAL_ERROR);
        assertThat(host.acquire(5, GRANTEE, false, FRAMES)).as("write map of a readonly grant").isEqualTo(GrantStatus.GNTST_GENERAL_ERROR);
        assertThat(host.acquire(7, GRANTEE, true, FRAMES)).as("invalid entry").isEqualTo(GrantStatus.GNTST_GENERAL_ERROR);
        assertThat(host.acquire(6, GRANTEE, true, FRAMES)).as("frame beyond memory").isEqualTo(GrantStatus.GNTST_BAD_PAGE);
        assertThat(guest.isInUse(5)).as("failed checks leave the entry alone").isFalse();
        region.payloadBuffer().putShort(8 * ENTRY_LENGTH, (short)GTF_TRANSITIVE);
        region.payloadBuffer().putShort(8 * ENTRY_LENGTH + DOMID_OFFSET, (short)GRANTEE);
        assertThat(host.acquire(8, GRANTEE, true, FRAMES)).as("transitive").isEqualTo(GrantStatus.GNTST_GENERAL_ERROR);
    }

    @Test
    void endAccessFailsWhileMappedAndSucceedsAfterRelease()
    {
        guest.grantAccess(5, GRANTEE, 42, false);
        host.acquire(5, GRANTEE, false, FRAMES);

        assertThat(guest.endAccess(5)).isFalse();
        assertThat(guest.flags(5) & GTF_TYPE_MASK).as("still granted").isEqualTo(GTF_PERMIT_ACCESS);

        host.release(5, true, true);
        assertThat(guest.endAccess(5)).isTrue();
        assertThat(guest.flags(5)).isZero();
        assertThat(host.acquire(5, GRANTEE, false, FRAMES)).as("ended grant").isEqualTo(GrantStatus.GNTST_GENERAL_ERROR);
    }

    @Test
    void releaseOfWritingKeepsReading()
    {
        guest.grantAccess(5, GRANTEE, 42, false);
        host.acquire(5, GRANTEE, false, FRAMES);
        host.release(5, false, true);
        assertThat(guest.flags(5) & (GTF_READING | GTF_WRITING)).isEqualTo(GTF_READING);
        assertThat(guest.endAccess(5)).isFalse();
    }

    @Test
    void anEntryTheGuestKeepsRewritingFailsAsUnstableAfterBoundedAttempts() throws Exception
    {
        guest.grantAccess(5, GRANTEE, 1, false);
        final AtomicBoolean stop = new AtomicBoolean();
        final Thread hostile = new Thread(() ->
        {
            for (int frame = 0; !stop.get(); frame = (frame + 1) & 63)
            {
                region.payloadBuffer().putIntVolatile(5 * ENTRY_LENGTH + FRAME_OFFSET, frame);
            }
        });
        hostile.start();
        try
        {
            for (int i = 0; i < 20_000; i++)
            {
                final long result = host.acquire(5, GRANTEE, false, FRAMES);
                if (result != GrantStatus.GNTST_GENERAL_ERROR)
                {
                    assertThat(result).as("a frame the guest really wrote").isBetween(0L, 63L);
                    host.release(5, true, true);
                }
            }
        }
        finally
        {
            stop.set(true);
            hostile.join();
        }
        assertThat(guest.isInUse(5)).as("a failed (unstable) acquire leaves no in-use bit behind").isFalse();
    }
}
