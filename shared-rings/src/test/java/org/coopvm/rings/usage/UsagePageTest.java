package org.coopvm.rings.usage;

import org.coopvm.rings.balloon.StatsFreshness;
import org.coopvm.rings.mem.Pages;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The usage page's writer and reader agree, and a reader always gets an answer. */
class UsagePageTest
{
    private final SharedRegion region = SharedRegion.createAnonymous(RegionType.USAGE, 0,
        UsagePageDescriptor.payloadLength(UsagePageDescriptor.DEFAULT_CAPACITY));
    private final UsagePageWriter writer = new UsagePageWriter().wrap(region.payload());
    private final UsagePageReader reader = new UsagePageReader(region.payload().asReadOnly());

    @AfterEach
    void tearDown()
    {
        region.close();
    }

    @Test
    void aDefaultPageHoldsAThousandAndTwentyFourDomainsInThirtyThreePages()
    {
        assertThat(writer.capacity()).isGreaterThanOrEqualTo(1024);
        assertThat(region.payloadLength()).isEqualTo(33 * Pages.PAGE_SIZE);
        final List<DomainUsage> domains = new ArrayList<>();
        for (int domid = 1; domid <= 1024; domid++)
        {
            domains.add(usage(domid, domid * 1024L));
        }
        writer.publish(5, 1000, 0, HostUsage.memory(1 << 30, 1 << 20), domains);

        final UsageSnapshot snapshot = snapshot(reader.read());
        assertThat(snapshot.domains()).hasSize(1024);
        assertThat(snapshot.domain(1024)).hasValueSatisfying(d -> assertThat(d.currentKib()).isEqualTo(1024L * 1024));
        assertThat(snapshot.hasFlag(UsagePageDescriptor.FLAG_TRUNCATED)).isFalse();
    }

    @Test
    void whatDom0PublishesIsWhatAGuestReads()
    {
        final DomainUsage one = new DomainUsage(3, UsageEntryDescriptor.FLAG_PAUSED, 65536, 49152, 16384, 131072, 20000, 30000, 250,
            StatsFreshness.FRESH, new DomainCpu(256, 50, 1_000_000, 2_000, 125, 1, 2));
        final DomainUsage two = new DomainUsage(7, 0, 1024, 0, 0, 1024, 0, 0, UsageEntryDescriptor.NO_STATS_AGE,
            StatsFreshness.NONE, DomainCpu.UNKNOWN);
        final int sequence = writer.publish(123_456_789L, 1000, 0, HostUsage.memory(1_048_576, 982_016), List.of(one, two));

        final UsageSnapshot snapshot = snapshot(reader.read());
        assertThat(snapshot.sequence()).isEqualTo(sequence).isEven().isPositive();
        assertThat(snapshot.publishNs()).isEqualTo(123_456_789L);
        assertThat(snapshot.periodMs()).isEqualTo(1000);
        assertThat(snapshot.host()).isEqualTo(HostUsage.memory(1_048_576, 982_016));
        assertThat(snapshot.domains()).containsExactly(one, two);
        assertThat(snapshot.domain(7)).contains(two);
        assertThat(snapshot.domain(8)).isEmpty();
    }

    @Test
    void moreDomainsThanEntriesAreCutAndThePageSaysSo()
    {
        try (SharedRegion small = SharedRegion.createAnonymous(RegionType.USAGE, 0, Pages.PAGE_SIZE))
        {
            final UsagePageWriter smallWriter = new UsagePageWriter().wrap(small.payload());
            final int capacity = smallWriter.capacity();
            final List<DomainUsage> domains = new ArrayList<>();
            for (int domid = 1; domid <= capacity + 2; domid++)
            {
                domains.add(usage(domid, 4096));
            }
            smallWriter.publish(1, 1000, 0, HostUsage.UNKNOWN, domains);

            final UsageSnapshot snapshot = snapshot(new UsagePageReader(small.payload()).read());
            assertThat(capacity).isEqualTo(31);
            assertThat(snapshot.domains()).hasSize(capacity);
            assertThat(snapshot.hasFlag(UsagePageDescriptor.FLAG_TRUNCATED)).isTrue();
        }
    }

    @Test
    void entriesOfDomainsThatWentAreZeroed()
    {
        writer.publish(1, 1000, 0, HostUsage.UNKNOWN, List.of(usage(1, 4096), usage(2, 8192), usage(3, 4096)));
        writer.publish(2, 1000, 0, HostUsage.UNKNOWN, List.of(usage(1, 4096)));

        assertThat(snapshot(reader.read()).domains()).extracting(DomainUsage::domid).containsExactly(1);
        assertThat(region.payload().asSlice(UsagePageDescriptor.entryOffset(1), 2L * UsageEntryDescriptor.ENTRY_LENGTH).toArray(ValueLayout.JAVA_BYTE))
            .containsOnly((byte)0);
    }

    @Test
    void beforeTheFirstPublishThereIsNothingToRead()
    {
        assertThat(reader.read()).isEqualTo(new UsageRead.Unavailable(UsageRead.Reason.NOT_PUBLISHED,
            "dom0 has not published the usage page yet"));
    }

    @Test
    void aWriterThatDiedMidUpdateGivesTornReadsNotAHang()
    {
        writer.publish(1, 1000, 0, HostUsage.UNKNOWN, List.of(usage(1, 4096)));
        final int sequence = region.payload().get(ValueLayout.JAVA_INT, UsagePageDescriptor.SEQUENCE_OFFSET);
        region.payload().set(ValueLayout.JAVA_INT, UsagePageDescriptor.SEQUENCE_OFFSET, sequence + 1);

        assertThat(reader.read()).isInstanceOfSatisfying(UsageRead.Unavailable.class,
            unavailable -> assertThat(unavailable.reason()).isEqualTo(UsageRead.Reason.TORN));
    }

    @Test
    void aHeaderThatContradictsItselfIsMalformed()
    {
        writer.publish(1, 1000, 0, HostUsage.UNKNOWN, List.of(usage(1, 4096)));
        region.payload().set(ValueLayout.JAVA_INT, UsagePageDescriptor.ENTRY_LENGTH_FIELD_OFFSET, 64);
        assertThat(reason(reader.read())).isEqualTo(UsageRead.Reason.MALFORMED);

        writer.wrap(region.payload());
        writer.publish(2, 1000, 0, HostUsage.UNKNOWN, List.of(usage(1, 4096)));
        region.payload().set(ValueLayout.JAVA_INT, UsagePageDescriptor.COUNT_OFFSET, Integer.MAX_VALUE);
        assertThat(reason(reader.read())).isEqualTo(UsageRead.Reason.MALFORMED);

        writer.publish(3, 1000, 0, HostUsage.UNKNOWN, List.of(usage(1, 4096)));
        region.payload().set(ValueLayout.JAVA_INT, UsagePageDescriptor.entryOffset(0) + UsageEntryDescriptor.STATS_STATE_OFFSET, 99);
        assertThat(reason(reader.read())).isEqualTo(UsageRead.Reason.MALFORMED);
    }

    @Test
    void aPageUnmappedUnderTheReaderIsReportedNotThrown()
    {
        final SharedRegion other = SharedRegion.createAnonymous(RegionType.USAGE, 0, Pages.PAGE_SIZE);
        new UsagePageWriter().wrap(other.payload()).publish(1, 1000, 0, HostUsage.UNKNOWN, List.of());
        final UsagePageReader otherReader = new UsagePageReader(other.payload());
        other.close();

        assertThat(reason(otherReader.read())).isEqualTo(UsageRead.Reason.UNMAPPED);
    }

    static DomainUsage usage(final int domid, final long currentKib)
    {
        return new DomainUsage(domid, 0, currentKib, currentKib, 0, currentKib * 2, 0, 0, UsageEntryDescriptor.NO_STATS_AGE,
            StatsFreshness.NONE, DomainCpu.UNKNOWN);
    }

    static UsageSnapshot snapshot(final UsageRead read)
    {
        assertThat(read).isInstanceOf(UsageRead.Snapshot.class);
        return ((UsageRead.Snapshot)read).snapshot();
    }

    private static UsageRead.Reason reason(final UsageRead read)
    {
        assertThat(read).isInstanceOf(UsageRead.Unavailable.class);
        return ((UsageRead.Unavailable)read).reason();
    }
}
