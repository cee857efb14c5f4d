package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsMessageType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WatchTest
{
    private final Xenstored xenstored = new Xenstored(XenstoreConfig.DEFAULTS);
    private final XsProbe dom0 = new XsProbe(xenstored, 0);
    private final XsProbe watcher = new XsProbe(xenstored, 0);

    @Test
    void firesOnceWhenSetThenOnChangesAtOrBelowInOrder()
    {
        assertThat(watcher.text(XsMessageType.WATCH, 0, "/w", "tok")).isEqualTo("OK");
        assertThat(watcher.events()).containsExactly("/w|tok");
        dom0.write("/w", "1");
        dom0.write("/w/x/y", "2");
        dom0.write("/other", "3");
        dom0.write("/wx", "4");
        dom0.text(XsMessageType.SET_PERMS, 0, "/w/x", "n0", "r1");
        dom0.text(XsMessageType.RM, 0, "/w/x");
        assertThat(watcher.events()).containsExactly("/w|tok", "/w/x/y|tok", "/w/x|tok", "/w/x|tok");
    }

    /** As Xen: nodes removed below an rm's root fire only watches set exactly on them. */
    @Test
    void removingAnAncestorFiresWatchesBelowIt()
    {
        dom0.write("/r/s/t", "1");
        watcher.text(XsMessageType.WATCH, 0, "/r/s/t", "deep");
        watcher.events();
        dom0.text(XsMessageType.RM, 0, "/r");
        assertThat(watcher.events()).containsExactly("/r/s/t|deep");
    }

    @Test
    void unwatchStopsEventsAndDuplicatesAreRejected()
    {
        watcher.text(XsMessageType.WATCH, 0, "/u", "t");
        assertThat(watcher.text(XsMessageType.WATCH, 0, "/u", "t")).isEqualTo("ERR:EEXIST");
        assertThat(watcher.text(XsMessageType.UNWATCH, 0, "/u", "t")).isEqualTo("OK");
        assertThat(watcher.text(XsMessageType.UNWATCH, 0, "/u", "t")).isEqualTo("ERR:ENOENT");
        watcher.events();
        dom0.write("/u", "1");
        assertThat(watcher.events()).isEmpty();
    }

    @Test
    void resetWatchesDropsEveryWatch()
    {
        watcher.text(XsMessageType.WATCH, 0, "/a", "1");
        watcher.text(XsMessageType.WATCH, 0, "/b", "2");
        assertThat(watcher.text(XsMessageType.RESET_WATCHES, 0)).isEqualTo("OK");
        watcher.events();
        dom0.write("/a", "x");
        dom0.write("/b", "x");
        assertThat(watcher.events()).isEmpty();
    }

    @Test
    void transactionEventsFireAtCommitOnlyAndNotOnAbort()
    {
        watcher.text(XsMessageType.WATCH, 0, "/t", "tok");
        watcher.events();
        final int tx = Integer.parseInt(dom0.text(XsMessageType.TRANSACTION_START, 0, ""));
        dom0.write(tx, "/t/a", "1");
        assertThat(watcher.events()).isEmpty();
        dom0.text(XsMessageType.TRANSACTION_END, tx, "T");
        assertThat(watcher.events()).containsExactly("/t/a|tok");
        final int aborted = Integer.parseInt(dom0.text(XsMessageType.TRANSACTION_START, 0, ""));
        dom0.write(aborted, "/t/b", "1");
        dom0.text(XsMessageType.TRANSACTION_END, aborted, "F");
        assertThat(watcher.events()).isEmpty();
    }

    @Test
    void specialPathsFireOnIntroduceAndRelease()
    {
        watcher.text(XsMessageType.WATCH, 0, "@introduceDomain", "in");
        watcher.text(XsMessageType.WATCH, 0, "@releaseDomain", "out");
        watcher.events();
        xenstored.introduceDomain(4);
        assertThat(dom0.text(XsMessageType.INTRODUCE, 0, "5", "0", "1")).isEqualTo("OK");
        assertThat(dom0.text(XsMessageType.IS_DOMAIN_INTRODUCED, 0, "5")).isEqualTo("T");
        assertThat(dom0.text(XsMessageType.RELEASE, 0, "5")).isEqualTo("OK");
        assertThat(dom0.text(XsMessageType.IS_DOMAIN_INTRODUCED, 0, "5")).isEqualTo("F");
        dom0.write("/anything", "x");
        assertThat(watcher.events()).containsExactly("@introduceDomain|in", "@introduceDomain|in", "@releaseDomain|out");
    }

    @Test
    void releaseDropsTheDomainsWatches()
    {
        xenstored.mkdir("/local/domain/6");
        xenstored.setPermissions("/local/domain/6", Permissions.of(6, Permissions.Access.NONE));
        final XsProbe guest = new XsProbe(xenstored, 6);
        guest.text(XsMessageType.WATCH, 0, "data", "g");
        guest.events();
        xenstored.releaseDomain(6);
        xenstored.write("/local/domain/6/data", new byte[] {1});
        assertThat(guest.events()).isEmpty();
        assertThat(guest.session.open()).isFalse();
    }

    @Test
    void relativeWatchesGetRelativePaths()
    {
        xenstored.mkdir("/local/domain/7");
        xenstored.setPermissions("/local/domain/7", Permissions.of(7, Permissions.Access.NONE));
        final XsProbe guest = new XsProbe(xenstored, 7);
        guest.text(XsMessageType.WATCH, 0, "memory", "m");
        xenstored.write("/local/domain/7/memory/target", "262144".getBytes());
        assertThat(guest.events()).containsExactly("memory|m", "memory/target|m");
    }

    @Test
    void introduceFromAGuestIsRefused()
    {
        final XsProbe guest = new XsProbe(xenstored, 9);
        assertThat(guest.text(XsMessageType.INTRODUCE, 0, "10", "0", "1")).isEqualTo("ERR:EACCES");
        assertThat(guest.text(XsMessageType.RELEASE, 0, "10")).isEqualTo("ERR:EACCES");
    }
}
