package org.coopvm.rings.domain;

import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

class RunstateTest
{
    @Test
    void aReaderNeverSeesAHalfWrittenRunstate() throws Exception
    {
        try (SharedRegion region = SharedRegion.createAnonymous(RegionType.SHARED_INFO, 1, SharedInfoDescriptor.PAYLOAD_LENGTH))
        {
            final Runstate writer = new Runstate().wrap(region.payload());
            final Runstate reader = new Runstate().wrap(region.payload());
            final AtomicBoolean stop = new AtomicBoolean();
            final Thread host = new Thread(() ->
            {
                for (long i = 1; !stop.get(); i++)
                {
                    writer.write(3, (int)(i & 3), i, new long[] {i, i, i, i});
                }
            });
            host.start();
            final Runstate.RunstateSnapshot snapshot = new Runstate.RunstateSnapshot();
            int consistent = 0;
            try
            {
                for (int i = 0; i < 100_000; i++)
                {
                    if (reader.read(3, snapshot))
                    {
                        consistent++;
                        assertThat(snapshot.timesNs).containsOnly(snapshot.entryTimeNs);
                        assertThat(snapshot.state).isEqualTo((int)(snapshot.entryTimeNs & 3));
                    }
                }
            }
            finally
            {
                stop.set(true);
                host.join();
            }
            assertThat(consistent).isPositive();
        }
    }
}
