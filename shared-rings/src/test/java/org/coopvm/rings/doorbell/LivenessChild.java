package org.coopvm.rings.doorbell;

import org.agrona.concurrent.SystemEpochClock;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;

import java.nio.file.Path;

/**
 * Child JVM for {@link SpinThenSleepWaitStrategyTest}: attaches the liveness slot of a doorbell
 * region file and then stays silent (no heartbeat, no close) until killed, or exits after
 * two minutes so it can never outlive a broken test for long.
 */
public final class LivenessChild
{
    private LivenessChild()
    {
    }

    /**
     * @param args the region file, the slot's payload offset.
     * @throws InterruptedException never expected.
     */
    public static void main(final String[] args) throws InterruptedException
    {
        try (SharedRegion region = SharedRegion.attachFile(Path.of(args[0]), RegionType.DOORBELL))
        {
            new PeerLiveness().wrap(region.payloadBuffer(), Integer.parseInt(args[1])).attach(SystemEpochClock.INSTANCE.time());
            Thread.sleep(120_000);
        }
    }
}
