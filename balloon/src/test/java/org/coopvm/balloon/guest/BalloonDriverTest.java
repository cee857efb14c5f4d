package org.coopvm.balloon.guest;

import org.coopvm.rings.hypercall.Errno;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.coopvm.balloon.guest.BalloonRig.kib;

class BalloonDriverTest
{
    private static final long SECOND_NS = TimeUnit.SECONDS.toNanos(1);

    @Test
    void inflatesIn512FrameBatchesToTheExactTarget()
    {
        final BalloonRig rig = new BalloonRig(4096, 4096);

        assertThat(rig.driver.offerTarget(kib(4096 - 1300))).isEqualTo(KibRejection.NONE);
        rig.runUntilIdle();

        assertThat(rig.reservation.decreaseBatches()).containsExactly(512, 512, 276);
        final BalloonStatus status = rig.status();
        assertThat(status.currentFrames()).isEqualTo(4096 - 1300).isEqualTo(status.targetFrames());
        assertThat(status.balloonedFrames()).isEqualTo(1300);
        assertThat(status.outcome()).isEqualTo(BalloonOutcome.REACHED);
        assertThat(status.timeTakenNs()).as("no clock movement, no backoff").isZero();
        assertThat(status.framesInflated()).isEqualTo(1300);
        assertThat(status.currentKib()).isEqualTo(Long.parseLong(kib(4096 - 1300)));
        rig.assertFramesPartitioned();
    }

    @Test
    void deflatesIn512FrameBatchesGivingTheBootBalloonBackFirst()
    {
        final BalloonRig rig = new BalloonRig(4096, 4096 - 1300);
        assertThat(rig.status().balloonedFrames()).as("memory below maxmem starts ballooned").isEqualTo(1300);
        assertThat(rig.status().outcome()).isEqualTo(BalloonOutcome.NONE);

        rig.driver.offerTarget(kib(4096));
        rig.runUntilIdle();

        assertThat(rig.reservation.populateBatches()).containsExactly(512, 512, 276);
        assertThat(rig.status().currentFrames()).isEqualTo(4096);
        assertThat(rig.status().balloonedFrames()).isZero();
        assertThat(rig.status().outcome()).isEqualTo(BalloonOutcome.REACHED);
        assertThat(rig.frames.frames()).as("every populated frame is the allocator's again").isEqualTo(4096);
        rig.assertFramesPartitioned();
    }

    @Test
    void oneStepMovesAtMostOneBatch()
    {
        final BalloonRig rig = new BalloonRig(4096, 4096);
        rig.driver.offerTarget(kib(1024));

        assertThat(rig.driver.doWork()).as("one input plus one batch").isEqualTo(1 + 512);
        assertThat(rig.status().currentFrames()).isEqualTo(4096 - 512);
        assertThat(rig.status().outcome()).isEqualTo(BalloonOutcome.IN_PROGRESS);
        assertThat(rig.driver.wakeDeadlineNs()).isEqualTo(BalloonDriver.RUN_NOW);
    }

    @Test
    void aConvergedDriverDoesNothingAndAsksForNoWakeUp()
    {
        final BalloonRig rig = new BalloonRig(1024, 1024);
        rig.driver.offerTarget(kib(512));
        rig.runUntilIdle();
        final int calls = rig.reservation.calls();

        assertThat(rig.driver.wakeDeadlineNs()).isEqualTo(BalloonDriver.NEVER);
        rig.clock.advance(3600 * SECOND_NS);
        assertThat(rig.driver.doWork()).isZero();
        assertThat(rig.reservation.calls()).isEqualTo(calls);
    }

    @Test
    void partialSuccessKeepsWhatWasDoneAndConvergesWithoutBackingOff()
    {
        final BalloonRig rig = new BalloonRig(4096, 4096);
        rig.reservation.doHalf(true);

        rig.driver.offerTarget(kib(4096 - 1000));
        rig.runWhileWork();

        assertThat(rig.reservation.decreaseBatches()).as("each batch asks for what is left, at most 512")
            .startsWith(512, 512, 488).allSatisfy(n -> assertThat(n).isBetween(1, 512));
        assertThat(rig.status().currentFrames()).isEqualTo(4096 - 1000);
        assertThat(rig.status().outcome()).isEqualTo(BalloonOutcome.REACHED);
        assertThat(rig.status().retries()).isZero();
        rig.assertFramesPartitioned();

        rig.driver.offerTarget(kib(4096));
        rig.runWhileWork();
        assertThat(rig.status().currentFrames()).isEqualTo(4096);
        assertThat(rig.reservation.populateBatches()).startsWith(512, 512, 488);
        rig.assertFramesPartitioned();
    }

    @Test
    void failedStepsBackOff1248163232Seconds()
    {
        final BalloonRig rig = new BalloonRig(BalloonConfig.DEFAULT.withMaxRetries(0), 4096, 1024, 0);
        rig.reservation.failWith(Errno.ENOMEM);
        rig.driver.offerTarget(kib(4096));

        final List<Long> waitsS = new ArrayList<>();
        rig.driver.doWork();
        for (int i = 0; i < 7; i++)
        {
            final long deadline = rig.driver.wakeDeadlineNs();
            waitsS.add((deadline - rig.clock.nanoTime()) / SECOND_NS);
            final int calls = rig.reservation.calls();
            rig.clock.update(deadline - 1);
            assertThat(rig.driver.doWork()).as("nothing before the retry is due").isZero();
            assertThat(rig.reservation.calls()).isEqualTo(calls);
            rig.clock.update(deadline);
            rig.driver.doWork();
            assertThat(rig.reservation.calls()).as("one retry when due").isEqualTo(calls + 1);
        }

        assertThat(waitsS).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 32L);
        assertThat(rig.status().lastFailure()).isEqualTo(BalloonFailure.HOST_SHORT);
        assertThat(rig.status().lastErrno()).isEqualTo(-Errno.ENOMEM);
        assertThat(rig.status().outcome()).isEqualTo(BalloonOutcome.IN_PROGRESS);
    }

    @Test
    void givesUpAfterFourFailedRetriesUntilTheTargetChanges()
    {
        final BalloonRig rig = new BalloonRig(4096, 4096);
        rig.reservation.failWith(Errno.EPERM);
        final long writtenAtNs = rig.clock.nanoTime();
        rig.driver.offerTarget(kib(2048));

        rig.runUntilIdle();

        assertThat(rig.reservation.decreaseBatches()).as("the first attempt and 4 retries").hasSize(5);
        BalloonStatus status = rig.status();
        assertThat(status.outcome()).isEqualTo(BalloonOutcome.GAVE_UP);
        assertThat(status.lastFailure()).isEqualTo(BalloonFailure.REFUSED);
        assertThat(status.lastErrno()).isEqualTo(-Errno.EPERM);
        assertThat(status.timeTakenNs()).as("waits of 1 + 2 + 4 + 8 s").isEqualTo(15 * SECOND_NS);
        assertThat(status.targetChangedAtNs()).isEqualTo(writtenAtNs);
        assertThat(rig.frames.frames()).as("frames the hypervisor refused are the allocator's again").isEqualTo(4096);
        assertThat(rig.driver.wakeDeadlineNs()).isEqualTo(BalloonDriver.NEVER);

        rig.reservation.failWith(0);
        rig.driver.offerTarget(kib(2048));
        rig.runUntilIdle();
        assertThat(rig.status().outcome()).as("the same target again does not restart").isEqualTo(BalloonOutcome.GAVE_UP);
        assertThat(rig.reservation.decreaseBatches()).hasSize(5);

        rig.driver.offerTarget(kib(2044));
        rig.runUntilIdle();
        status = rig.status();
        assertThat(status.outcome()).as("a new target restarts").isEqualTo(BalloonOutcome.REACHED);
        assertThat(status.currentFrames()).isEqualTo(2044);
        assertThat(status.lastFailure()).isEqualTo(BalloonFailure.NONE);
        assertThat(status.retries()).isZero();
        rig.assertFramesPartitioned();
    }

    @Test
    void progressResetsTheBackoff()
    {
        final BalloonRig rig = new BalloonRig(4096, 1024);
        rig.reservation.hostFreeFrames(0);
        rig.driver.offerTarget(kib(4096));
        rig.driver.doWork();
        rig.clock.update(rig.driver.wakeDeadlineNs());
        rig.driver.doWork();
        assertThat(rig.status().retries()).isEqualTo(2);

        rig.reservation.hostFreeFrames(100);
        rig.clock.update(rig.driver.wakeDeadlineNs());
        rig.driver.doWork();
        assertThat(rig.status().currentFrames()).isEqualTo(1124);
        rig.driver.doWork();

        assertThat(rig.status().retries()).isEqualTo(1);
        assertThat(rig.driver.wakeDeadlineNs() - rig.clock.nanoTime()).as("back to the first delay").isEqualTo(SECOND_NS);
    }

    @Test
    void neverInflatesBelowTheFloorAndSaysTheTargetWasClamped()
    {
        final BalloonRig rig = new BalloonRig(4096, 4096);
        rig.driver.setHostFloorKib(4L * 1000);
        rig.driver.declareNeedKib(4L * 2000 - 1);

        rig.driver.offerTarget(kib(1024));
        rig.runUntilIdle();

        final BalloonStatus status = rig.status();
        assertThat(status.floorFrames()).as("the higher of host minimum and guest need, rounded up").isEqualTo(2000);
        assertThat(status.currentFrames()).isEqualTo(2000);
        assertThat(status.requestedTargetKib()).isEqualTo(4096);
        assertThat(status.clamp()).isEqualTo(TargetClamp.BELOW_FLOOR);
        assertThat(status.outcome()).isEqualTo(BalloonOutcome.BELOW_FLOOR);
        rig.assertFramesPartitioned();
    }

    @Test
    void aFloorRaisedAboveTheGuestDeflatesToIt()
    {
        final BalloonRig rig = new BalloonRig(4096, 4096);
        rig.driver.offerTarget(kib(1024));
        rig.runUntilIdle();

        rig.driver.declareNeedKib(4L * 3000);
        rig.runUntilIdle();

        assertThat(rig.status().currentFrames()).isEqualTo(3000);
        assertThat(rig.status().outcome()).isEqualTo(BalloonOutcome.BELOW_FLOOR);
    }

    @Test
    void aTargetAboveTheMaximumStopsAtTheMaximum()
    {
        final BalloonRig rig = new BalloonRig(1024, 512);

        rig.driver.offerTarget(Long.toString(Long.MAX_VALUE));
        rig.runUntilIdle();

        assertThat(rig.status().currentFrames()).isEqualTo(1024);
        assertThat(rig.status().clamp()).isEqualTo(TargetClamp.ABOVE_MAXMEM);
        assertThat(rig.status().outcome()).isEqualTo(BalloonOutcome.ABOVE_MAXMEM);
    }

    @Test
    void theAllocatorsReserveStopsInflationWithATypedReason()
    {
        final BalloonRig rig = new BalloonRig(BalloonConfig.DEFAULT, 1024, 1024, 600);

        rig.driver.offerTarget(kib(100));
        rig.runUntilIdle();

        assertThat(rig.status().currentFrames()).as("the allocator keeps its reserve").isEqualTo(600);
        assertThat(rig.status().outcome()).isEqualTo(BalloonOutcome.GAVE_UP);
        assertThat(rig.status().lastFailure()).isEqualTo(BalloonFailure.GUEST_SHORT);
        assertThat(rig.reservation.decreaseBatches()).as("no hypercall without frames").containsExactly(424);
    }

    @Test
    void populateOverMaxmemIsReportedAsSuch()
    {
        final BalloonRig rig = new BalloonRig(1024, 512);
        rig.reservation.failWith(Errno.E2BIG);

        rig.driver.offerTarget(kib(1024));
        rig.driver.doWork();

        assertThat(rig.status().lastFailure()).isEqualTo(BalloonFailure.ABOVE_MAXMEM);
        assertThat(rig.status().lastErrno()).isEqualTo(-Errno.E2BIG);
        assertThat(rig.status().balloonedFrames()).isEqualTo(512);
    }

    @Test
    void garbageTargetsAreIgnoredWithAReasonAndChangeNothing()
    {
        final BalloonRig rig = new BalloonRig(4096, 4096);
        rig.driver.offerTarget(kib(2048));
        rig.runUntilIdle();
        final BalloonStatus before = rig.status();
        final int calls = rig.reservation.calls();

        assertThat(rig.driver.offerTarget("lots")).isEqualTo(KibRejection.NOT_A_NUMBER);
        assertThat(rig.driver.offerTarget("-4096")).isEqualTo(KibRejection.NEGATIVE);
        assertThat(rig.driver.offerTarget("")).isEqualTo(KibRejection.EMPTY);
        assertThat(rig.driver.offerTarget(null)).isEqualTo(KibRejection.EMPTY);
        assertThat(rig.driver.offerTarget("1.5")).isEqualTo(KibRejection.NOT_A_NUMBER);
        assertThat(rig.driver.offerTarget("99999999999999999999")).isEqualTo(KibRejection.OVERFLOW);
        rig.runUntilIdle();

        final BalloonStatus after = rig.status();
        assertThat(after.targetsRejected()).isEqualTo(6);
        assertThat(after.lastRejection()).isEqualTo(KibRejection.OVERFLOW);
        assertThat(after.withInputs(0, KibRejection.NONE, 0, false))
            .isEqualTo(before.withInputs(0, KibRejection.NONE, 0, false));
        assertThat(rig.reservation.calls()).isEqualTo(calls);
    }

    @Test
    void underPressureTheGuestTakes256FramesBackAndSaysSo()
    {
        final BalloonRig rig = new BalloonRig(BalloonConfig.DEFAULT.withDeflateOnPressure(true), 4096, 4096, 0);
        rig.driver.offerTarget(kib(1024));
        rig.runUntilIdle();

        rig.driver.notifyPressure();
        assertThat(rig.driver.wakeDeadlineNs()).isEqualTo(BalloonDriver.RUN_NOW);
        rig.runUntilIdle();

        BalloonStatus status = rig.status();
        assertThat(status.currentFrames()).isEqualTo(1024 + 256);
        assertThat(status.pressureDeflates()).isEqualTo(1);
        assertThat(status.pressureFramesReleased()).isEqualTo(256);
        assertThat(status.outcome()).isEqualTo(BalloonOutcome.DEFLATED_UNDER_PRESSURE);
        assertThat(status.targetFrames()).as("held at its new size, not inflated straight back").isEqualTo(1024 + 256);
        assertThat(rig.reservation.decreaseBatches().stream().mapToInt(Integer::intValue).sum()).isEqualTo(3072);
        rig.assertFramesPartitioned();

        rig.driver.offerTarget(kib(1024));
        rig.runUntilIdle();
        status = rig.status();
        assertThat(status.currentFrames()).as("the target written again takes it back").isEqualTo(1024);
        assertThat(status.outcome()).isEqualTo(BalloonOutcome.REACHED);
        assertThat(status.pressureDeflates()).as("the record stays").isEqualTo(1);
    }

    @Test
    void pressureInterruptsAnInflationAndEachSignalReleasesOneStep()
    {
        final BalloonRig rig = new BalloonRig(4096, 4096);
        assertThat(rig.status().deflateOnPressure()).as("off until negotiated").isFalse();
        rig.driver.negotiateDeflateOnPressure(true);
        assertThat(rig.status().deflateOnPressure()).isTrue();
        rig.driver.offerTarget(kib(0));
        rig.driver.doWork();
        rig.driver.doWork();
        assertThat(rig.status().currentFrames()).isEqualTo(4096 - 1024);

        rig.driver.notifyPressure();
        rig.driver.notifyPressure();
        rig.runUntilIdle();

        assertThat(rig.status().currentFrames()).isEqualTo(4096 - 1024 + 512);
        assertThat(rig.status().pressureDeflates()).isEqualTo(2);
        assertThat(rig.status().outcome()).isEqualTo(BalloonOutcome.DEFLATED_UNDER_PRESSURE);
        assertThat(rig.status().deflateOnPressure()).isTrue();
        rig.assertFramesPartitioned();
    }

    @Test
    void aTargetWrittenAfterAPressureSignalSupersedesItsHold()
    {
        final BalloonRig rig = new BalloonRig(BalloonConfig.DEFAULT.withDeflateOnPressure(true), 4096, 1024, 0);

        rig.driver.notifyPressure();
        rig.driver.offerTarget(kib(1024 + 16));
        rig.runUntilIdle();

        assertThat(rig.status().pressureDeflates()).as("the signal was acted on").isEqualTo(1);
        assertThat(rig.status().currentFrames()).as("then the later target won").isEqualTo(1024 + 16);
        assertThat(rig.status().outcome()).isEqualTo(BalloonOutcome.REACHED);
        rig.assertFramesPartitioned();
    }

    @Test
    void pressureWithoutNegotiationIsOnlyCounted()
    {
        final BalloonRig rig = new BalloonRig(4096, 4096);
        rig.driver.offerTarget(kib(1024));
        rig.runUntilIdle();
        final int calls = rig.reservation.calls();

        rig.driver.notifyPressure();

        assertThat(rig.driver.wakeDeadlineNs()).isEqualTo(BalloonDriver.NEVER);
        rig.runUntilIdle();
        assertThat(rig.reservation.calls()).isEqualTo(calls);
        assertThat(rig.status().pressureSignalsIgnored()).isEqualTo(1);
        assertThat(rig.status().pressureDeflates()).isZero();
        assertThat(rig.status().currentFrames()).isEqualTo(1024);
    }

    @Test
    void theReportedTimeRunsFromTheTargetWriteToTheLastBatch()
    {
        final BalloonRig rig = new BalloonRig(4096, 4096);
        rig.driver.offerTarget(kib(2048));
        rig.clock.advance(5_000);
        rig.driver.doWork();
        rig.clock.advance(7_000);
        rig.runUntilIdle();

        assertThat(rig.status().timeTakenNs()).isEqualTo(12_000);
    }
}
