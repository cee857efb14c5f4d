package org.coopvm.balloon.host;

import org.coopvm.balloon.engine.StatsHistoryRecorder;
import org.coopvm.balloon.policy.BalloonSnapshot;
import org.coopvm.balloon.policy.DomainView;
import org.coopvm.balloon.policy.HostPool;
import org.coopvm.balloon.policy.StatsStatus;
import org.coopvm.hypervisor.config.ConvergenceConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine's snapshot of a real hypervisor: the books for current, max, floor and the pool,
 * xenstore for the target, the classified guest stats for the history, the config for the weight.
 */
class HypervisorSnapshotSourceTest
{
    private final ConvergenceRig rig = new ConvergenceRig(128, ConvergenceConfig.DEFAULTS);
    private final HypervisorSnapshotSource source = new HypervisorSnapshotSource(rig.hypervisor, rig.dom0,
        domid -> domid * 100, new StatsHistoryRecorder(8));

    @AfterEach
    void close()
    {
        rig.close();
    }

    @Test
    void theSnapshotTakesTheBooksTheTargetTheStatsAndTheWeight()
    {
        final Domain web = rig.domain("web", 32, 64, 8);
        final Domain db = rig.domain("db", 16, 16, 0);
        rig.writeTarget(web, "24576");
        rig.writeTarget(db, "garbage");
        rig.shrinkTo(web, 7168);
        rig.stats(web, 0);
        rig.advanceMs(10);
        rig.step();

        final BalloonSnapshot snapshot = source.snapshot(rig.clock.nanoTime());

        assertThat(snapshot.host()).isEqualTo(new HostPool(131_072, 131_072 - 28_672 - 16_384));
        final DomainView webView = snapshot.domain(web.domid());
        assertThat(webView).extracting(DomainView::memoryKib, DomainView::currentKib, DomainView::targetKib,
            DomainView::floorKib, DomainView::maxKib, DomainView::weight).containsExactly(32_768L, 28_672L, 24_576L, 8_192L,
            65_536L, web.domid() * 100);
        assertThat(webView.statsStatus()).isEqualTo(StatsStatus.FRESH);
        assertThat(webView.latest().totalKib()).isEqualTo(28_672);
        final DomainView dbView = snapshot.domain(db.domid());
        assertThat(dbView.targetKib()).as("an invalid target counts as current, as the guest ignores it").isEqualTo(16_384);
        assertThat(dbView.statsStatus()).isEqualTo(StatsStatus.MISSING);
    }

    @Test
    void aGuestsRequestAndOfferReachThePolicyAsItWroteThem()
    {
        final Domain asking = rig.domain("asking", 16, 64, 0);
        final Domain offering = rig.domain("offering", 16, 16, 0);
        rig.stats(asking, 0, 8192);
        rig.stats(offering, 0, -4096);
        rig.advanceMs(10);
        rig.step();

        final BalloonSnapshot snapshot = source.snapshot(rig.clock.nanoTime());

        assertThat(snapshot.domain(asking.domid()).latest().requestKib()).isEqualTo(8192);
        assertThat(snapshot.domain(offering.domid()).latest().requestKib()).isEqualTo(-4096);
    }

    @Test
    void aDestroyedOrShutDownDomainLeavesTheSnapshot()
    {
        final Domain web = rig.domain("web", 16, 16, 0);
        final Domain db = rig.domain("db", 16, 16, 0);
        rig.hypervisor.shutdown(db.domid(), 0, "poweroff");
        rig.hypervisor.destroyDomain(web.domid());

        assertThat(source.snapshot(rig.clock.nanoTime()).domains()).isEmpty();
    }
}
