package org.coopvm.balloon.host;

import org.coopvm.hypervisor.api.BalloonState;
import org.coopvm.hypervisor.api.ConvergenceOutcome;
import org.coopvm.hypervisor.api.ConvergenceReport;
import org.coopvm.hypervisor.config.ConvergenceConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.xenbus.XenstoreAccessException;
import org.coopvm.rings.xenstore.XsErrno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every change of a domain's {@code memory/target} ends in exactly one report, whichever way it
 * goes. The guest is faked by moving the domain's reservation through the hypervisor; time is a
 * manual clock, so the deadlines (poll 10 ms, slow 1 s, timeout 3 s here) pass when the test says.
 */
class ConvergenceTrackerTest
{
    private static final ConvergenceConfig DEADLINES = new ConvergenceConfig(10, 1_000, 3_000);

    private final ConvergenceRig rig = new ConvergenceRig(256, DEADLINES);

    @AfterEach
    void close()
    {
        rig.close();
    }

    @Test
    void aTargetTheGuestFollowsIsReachedWithTheTimeFromTheWriteToTheCallThatGotThere()
    {
        final Domain web = rig.domain("web", 64, 64, 0);
        rig.writeTarget(web, "32768");
        rig.advanceMs(5);
        rig.step();
        assertThat(rig.tracker.state(web.domid())).isEqualTo(new BalloonState(32768, true, 32768, null));

        rig.advanceMs(100);
        rig.shrinkTo(web, 12_288);
        rig.advanceMs(200);
        rig.shrinkTo(web, 8192);
        rig.advanceMs(40);
        rig.step();

        final ConvergenceReport report = rig.last();
        assertThat(rig.outcomes()).containsExactly(ConvergenceOutcome.REACHED);
        assertThat(report.elapsedMs()).as("the write's delivery to the tracker to the second decrease_reservation").isEqualTo(300);
        assertThat(report).extracting(ConvergenceReport::requestedKib, ConvergenceReport::effectiveKib,
            ConvergenceReport::startKib, ConvergenceReport::currentKib).containsExactly(32768L, 32768L, 65536L, 32768L);
        assertThat(rig.reportNode(web)).isEqualTo("seq=1 outcome=reached requested_kib=32768 effective_kib=32768 " +
            "start_kib=65536 current_kib=32768 elapsed_ms=300 detail=\"\"");
        assertThat(rig.tracker.state(web.domid())).isEqualTo(new BalloonState(32768, false, -1, report));
        assertThat(report.summary()).isEqualTo("reached:0.3s");
    }

    @Test
    void writingTheValueAlreadyFollowedIsNoChangeAndAReachedTargetIsReportedOnce()
    {
        final Domain web = rig.domain("web", 16, 16, 0);
        rig.writeTarget(web, "16384");
        rig.run(100, 10);
        rig.writeTarget(web, "8192");
        rig.shrinkTo(web, 2048);
        rig.run(100, 10);
        rig.writeTarget(web, "8192");
        rig.run(100, 10);

        assertThat(rig.outcomes()).containsExactly(ConvergenceOutcome.REACHED);
    }

    @Test
    void garbageIsIgnoredWithItsTextAndTheRunningChangeGoesOn()
    {
        final Domain web = rig.domain("web", 16, 16, 0);
        rig.writeTarget(web, "8192");
        rig.step();
        for (final String garbage : new String[] {"lots", "-4096", "99999999999999999999999", ""})
        {
            rig.writeTarget(web, garbage);
            rig.step();
        }

        assertThat(rig.outcomes()).containsExactly(ConvergenceOutcome.INVALID_TARGET, ConvergenceOutcome.INVALID_TARGET,
            ConvergenceOutcome.INVALID_TARGET, ConvergenceOutcome.INVALID_TARGET);
        assertThat(rig.heard).extracting(ConvergenceReport::requested).containsExactly("lots", "-4096", "99999999999999999999999", "");
        assertThat(rig.heard).extracting(ConvergenceReport::detail).containsExactly(
            "memory/target = \"lots\" is not a KiB count (not a number): ignored; the domain keeps following 8192 KiB",
            "memory/target = \"-4096\" is not a KiB count (negative): ignored; the domain keeps following 8192 KiB",
            "memory/target = \"99999999999999999999999\" is not a KiB count (overflow): ignored; the domain keeps following 8192 KiB",
            "memory/target = \"\" is not a KiB count (empty): ignored; the domain keeps following 8192 KiB");
        assertThat(rig.reportNode(web)).startsWith("seq=4 outcome=invalid_target requested_kib=-1 effective_kib=-1 ")
            .contains("requested=\"\"");
        assertThat(rig.tracker.state(web.domid()).tracking()).as("8192 KiB is still tracked").isTrue();

        rig.shrinkTo(web, 2048);
        rig.run(20, 10);
        assertThat(rig.last().outcome()).isEqualTo(ConvergenceOutcome.REACHED);
        assertThat(rig.last().requestedKib()).isEqualTo(8192);
    }

    @Test
    void aTargetAboveMaxPagesIsHeldAtMaxmemAndTheReportSaysBoth()
    {
        final Domain web = rig.domain("web", 16, 32, 0);
        rig.writeTarget(web, "1048576");
        rig.step();
        rig.growTo(web, 8192);
        rig.run(20, 10);

        final ConvergenceReport report = rig.last();
        assertThat(report.outcome()).isEqualTo(ConvergenceOutcome.ABOVE_MAXMEM);
        assertThat(report.requestedKib()).isEqualTo(1_048_576);
        assertThat(report.effectiveKib()).isEqualTo(32_768);
        assertThat(report.detail()).isEqualTo("requested 1048576 KiB is above max pages (32768 KiB): held at 32768 KiB");
        assertThat(report.summary()).startsWith("above-max:");
    }

    @Test
    void aTargetBelowMinmemIsHeldAtTheFloor()
    {
        final Domain web = rig.domain("web", 32, 32, 16);
        rig.writeTarget(web, "4096");
        rig.step();
        rig.shrinkTo(web, 4096);
        rig.run(20, 10);

        assertThat(rig.last()).extracting(ConvergenceReport::outcome, ConvergenceReport::effectiveKib, ConvergenceReport::detail)
            .containsExactly(ConvergenceOutcome.BELOW_FLOOR, 16_384L, "requested 4096 KiB is below the floor (minmem 16384 KiB): " +
                "held at 16384 KiB");
    }

    @Test
    void aTargetBelowTheFloorTheGuestDeclaresInFreshStatsIsHeldAtThatFloor()
    {
        final Domain web = rig.domain("web", 32, 32, 4);
        rig.stats(web, 24_576);
        rig.advanceMs(10);
        rig.step();
        rig.writeTarget(web, "8192");
        rig.step();
        rig.shrinkTo(web, 6144);
        rig.run(20, 10);

        assertThat(rig.last()).extracting(ConvergenceReport::outcome, ConvergenceReport::effectiveKib)
            .containsExactly(ConvergenceOutcome.BELOW_FLOOR, 24_576L);
        assertThat(rig.last().detail()).contains("the guest's declared floor 24576 KiB");
    }

    @Test
    void growthThePoolCannotCoverIsReportedAtTheSlowDeadlineWithThePoolsNumbers()
    {
        final ConvergenceRig small = new ConvergenceRig(48, DEADLINES);
        try
        {
            final Domain web = small.domain("web", 16, 64, 0);
            small.domain("db", 24, 24, 0);
            small.writeTarget(web, "65536");
            small.step();
            small.growTo(web, 6144);
            assertThat(small.growTo(web, 8192)).as("the pool refuses").isEqualTo(-12);
            small.run(990, 10);
            assertThat(small.heard).as("not before the slow deadline").isEmpty();
            small.run(20, 10);

            assertThat(small.outcomes()).containsExactly(ConvergenceOutcome.HOST_POOL_SHORT);
            assertThat(small.last().detail()).isEqualTo("needs 40960 KiB more; the host pool has 0 KiB free of 49152 KiB " +
                "(a populate failed with ENOMEM)");
            assertThat(small.last().currentKib()).isEqualTo(24_576);
        }
        finally
        {
            small.close();
        }
    }

    @Test
    void progressThenAStallIsSlowAtTheSlowDeadline()
    {
        final Domain web = rig.domain("web", 32, 32, 0);
        rig.writeTarget(web, "8192");
        rig.step();
        rig.shrinkTo(web, 6144);
        rig.run(1_000, 10);

        assertThat(rig.outcomes()).containsExactly(ConvergenceOutcome.GUEST_SLOW);
        assertThat(rig.last().detail()).isEqualTo("moved from 32768 to 24576 KiB towards 8192 KiB in 1000 ms");
        assertThat(rig.last().elapsedMs()).isEqualTo(1_000);
    }

    @Test
    void noMoveAtAllTimesOutWhenTheGuestIsNotSeenAlive()
    {
        final Domain web = rig.domain("web", 32, 32, 0);
        rig.writeTarget(web, "8192");
        rig.step();
        rig.run(2_990, 10);
        assertThat(rig.heard).as("no move, no cause: wait for the timeout").isEmpty();
        rig.run(10, 10);

        assertThat(rig.outcomes()).containsExactly(ConvergenceOutcome.TIMED_OUT);
        assertThat(rig.last().detail()).isEqualTo("stayed at 32768 KiB for 3000 ms: the guest publishes no fresh balloon stats (none)");
    }

    @Test
    void noMoveWhileTheGuestRunsAndPublishesFreshStatsIsARefusal()
    {
        final Domain web = rig.domain("web", 32, 32, 0);
        rig.writeTarget(web, "8192");
        rig.step();
        for (int i = 0; i < 30; i++)
        {
            rig.stats(web, 0);
            rig.run(100, 10);
        }

        assertThat(rig.outcomes()).containsExactly(ConvergenceOutcome.GUEST_REFUSED);
        assertThat(rig.last().detail()).startsWith("stayed at 32768 KiB for 3000 ms although it runs, publishes fresh stats, " +
            "and the host could serve it");
    }

    @Test
    void aGuestThatStopsShortAtTheFloorItDeclaresRefusesAndSaysWhy()
    {
        final Domain web = rig.domain("web", 32, 32, 0);
        rig.writeTarget(web, "8192");
        rig.step();
        rig.shrinkTo(web, 5120);
        for (int i = 0; i < 10; i++)
        {
            rig.stats(web, 20_480);
            rig.run(100, 10);
        }

        assertThat(rig.outcomes()).containsExactly(ConvergenceOutcome.GUEST_REFUSED);
        assertThat(rig.last().detail()).isEqualTo("the guest declares a floor of 20480 KiB, above the target 8192 KiB: " +
            "it stopped at 20480 KiB");
    }

    @Test
    void aPausedDomainThatDoesNotMoveTimesOutSayingItIsPaused()
    {
        final Domain web = rig.domain("web", 32, 32, 0);
        rig.hypervisor.pause(web.domid());
        rig.writeTarget(web, "8192");
        rig.step();
        rig.run(3_000, 100);

        assertThat(rig.last().outcome()).isEqualTo(ConvergenceOutcome.TIMED_OUT);
        assertThat(rig.last().detail()).endsWith(": the domain is paused");
    }

    @Test
    void aNewerTargetSupersedesTheRunningOne()
    {
        final Domain web = rig.domain("web", 32, 32, 0);
        rig.writeTarget(web, "8192");
        rig.step();
        rig.shrinkTo(web, 6144);
        rig.advanceMs(50);
        rig.writeTarget(web, "16384");
        rig.step();
        rig.shrinkTo(web, 4096);
        rig.run(20, 10);

        assertThat(rig.outcomes()).containsExactly(ConvergenceOutcome.SUPERSEDED, ConvergenceOutcome.REACHED);
        assertThat(rig.heard.getFirst()).extracting(ConvergenceReport::requestedKib, ConvergenceReport::currentKib,
            ConvergenceReport::detail).containsExactly(8192L, 24_576L, "superseded by memory/target = 16384 KiB after 50 ms");
        assertThat(rig.heard).extracting(ConvergenceReport::seq).containsExactly(1L, 2L);
    }

    @Test
    void aDomainDestroyedMidChangeEndsItAndItsTreeIsNotRecreated()
    {
        final Domain web = rig.domain("web", 32, 32, 0);
        rig.writeTarget(web, "8192");
        rig.step();
        rig.hypervisor.destroyDomain(web.domid());
        rig.step();

        assertThat(rig.outcomes()).containsExactly(ConvergenceOutcome.DOMAIN_GONE);
        assertThat(rig.dom0.directory("/local/domain")).doesNotContain(Integer.toString(web.domid()));
        assertThat(rig.tracker.tracking()).isZero();
        assertThat(rig.tracker.xenstoreFailures()).isZero();
    }

    @Test
    void theReportNodeIsReadableByTheGuestAndNotWritable()
    {
        final Domain web = rig.domain("web", 16, 16, 0);
        rig.writeTarget(web, "8192");
        rig.step();
        rig.shrinkTo(web, 2048);
        rig.run(10, 10);

        try (XenstoredAccess guest = new XenstoredAccess(rig.hypervisor.xenstored(), web.domid(), () -> { }))
        {
            assertThat(guest.read("memory/balloon-report")).hasValueSatisfying(value -> assertThat(value).contains("outcome=reached"));
            assertThatThrownBy(() -> guest.write("memory/balloon-report", "outcome=reached"))
                .isInstanceOfSatisfying(XenstoreAccessException.class, ex -> assertThat(ex.errno()).isEqualTo(XsErrno.EACCES));
            assertThatThrownBy(() -> guest.write("memory/target", "1"))
                .isInstanceOfSatisfying(XenstoreAccessException.class, ex -> assertThat(ex.errno()).isEqualTo(XsErrno.EACCES));
        }
    }

    @Test
    void reportsAreKeptForTheApiByDomainAndTheIdleTrackerSleeps()
    {
        final Domain web = rig.domain("web", 16, 16, 0);
        final Domain db = rig.domain("db", 16, 16, 0);
        assertThat(rig.tracker.nanosUntilDue()).as("nothing tracked: sleep a second or until a watch event")
            .isEqualTo(1_000 * ConvergenceRig.MS);
        rig.writeTarget(web, "8192");
        rig.writeTarget(db, "junk");
        rig.step();
        assertThat(rig.tracker.nanosUntilDue()).isEqualTo(10 * ConvergenceRig.MS);
        rig.shrinkTo(web, 2048);
        rig.run(10, 10);

        assertThat(rig.tracker.reports()).hasSize(2);
        assertThat(rig.tracker.reports(db.domid())).extracting(ConvergenceReport::outcome)
            .containsExactly(ConvergenceOutcome.INVALID_TARGET);
        assertThat(rig.tracker.reportCount()).isEqualTo(2);
        assertThat(ConvergenceTracker.targetDomid("/local/domain/12/memory/target")).isEqualTo(12);
        assertThat(ConvergenceTracker.targetDomid("/local/domain/12/memory/static-max")).isEqualTo(-1);
        assertThat(ConvergenceTracker.targetDomid("/local/domain/x/memory/target")).isEqualTo(-1);
    }
}
