package org.coopvm.balloon.engine;

import org.coopvm.balloon.policy.StatsSample;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatsHistoryRecorderTest
{
    @Test
    void keepsNewSamplesOnlyAndTheNewestOnes()
    {
        final StatsHistoryRecorder recorder = new StatsHistoryRecorder(3);

        assertThat(recorder.offer(1, StatsSample.of(1, 100, 10, 0, 50), 0)).isTrue();
        assertThat(recorder.offer(1, StatsSample.of(1, 100, 99, 0, 50), 1)).isFalse();
        for (int sequence = 2; sequence <= 5; sequence++)
        {
            recorder.offer(1, StatsSample.of(sequence, 100, 10, 0, 50), sequence);
        }

        assertThat(recorder.history(1)).extracting(StatsSample::sequence).containsExactly(3L, 4L, 5L);
        assertThat(recorder.history(2)).isEmpty();
    }

    @Test
    void freshnessIsJudgedByTheHostsClockWhenANewSequenceWasSeen()
    {
        final StatsHistoryRecorder recorder = new StatsHistoryRecorder(10);
        // the guest claims a timestamp far in the future; only the host's clock counts
        recorder.offer(1, new StatsSample(7, Long.MAX_VALUE, 100, 10, 10, 0, 50, 0, 0, 0, 0, 0, 0, 0), 1_000);
        recorder.offer(1, new StatsSample(7, Long.MAX_VALUE, 100, 10, 10, 0, 50, 0, 0, 0, 0, 0, 0, 0), 9_000);

        assertThat(recorder.isFresh(1, 5_000, 4_000)).isTrue();
        assertThat(recorder.isFresh(1, 5_001, 4_000)).isFalse();
        assertThat(recorder.isFresh(1, 9_000, 4_000)).isFalse();
        assertThat(recorder.isFresh(2, 0, 4_000)).isFalse();

        recorder.forget(1);
        assertThat(recorder.history(1)).isEmpty();
    }
}
