package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsMessageType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QuotaTest
{
    private final Xenstored xenstored = new Xenstored(new XenstoreConfig(5, 2, 2, 16, 1 << 20));
    private final XsProbe guest = guestWithHome(xenstored, 1);
    private final XsProbe dom0 = new XsProbe(xenstored, 0);

    static XsProbe guestWithHome(final Xenstored xenstored, final int domid)
    {
        xenstored.mkdir("/local/domain/" + domid);
        xenstored.setPermissions("/local/domain/" + domid, new Permissions(java.util.List.of(
            new Permissions.Entry(Permissions.Access.NONE, 0), new Permissions.Entry(Permissions.Access.BOTH, domid))));
        return new XsProbe(xenstored, domid);
    }

    @Test
    void xensDefaults()
    {
        assertThat(XenstoreConfig.DEFAULTS.maxNodesPerDomain()).isEqualTo(1000);
        assertThat(XenstoreConfig.DEFAULTS.maxWatchesPerDomain()).isEqualTo(128);
        assertThat(XenstoreConfig.DEFAULTS.maxTransactionsPerDomain()).isEqualTo(10);
        assertThat(XenstoreConfig.DEFAULTS.maxNodeSizeBytes()).isEqualTo(2048);
    }

    @Test
    void nodeQuotaIsEnospcAndFreedByRm()
    {
        for (int i = 0; i < 5; i++)
        {
            assertThat(guest.write("n" + i, "x")).isEqualTo("OK");
        }
        assertThat(guest.write("n5", "x")).isEqualTo("ERR:ENOSPC");
        assertThat(guest.write("deep/a/b", "x")).isEqualTo("ERR:ENOSPC");
        assertThat(guest.text(XsMessageType.RM, 0, "n0")).isEqualTo("OK");
        assertThat(guest.write("n5", "x")).isEqualTo("OK");
        assertThat(dom0.write("/local/domain/1/by-dom0", "x")).isEqualTo("OK");
    }

    @Test
    void nodeSizeIsEnospcForGuestsOnly()
    {
        assertThat(guest.write("big", "x".repeat(17))).isEqualTo("ERR:ENOSPC");
        assertThat(guest.write("fits", "x".repeat(16))).isEqualTo("OK");
        assertThat(dom0.write("/dom0big", "x".repeat(4000))).isEqualTo("OK");
    }

    @Test
    void watchQuotaIsE2big()
    {
        assertThat(guest.text(XsMessageType.WATCH, 0, "a", "1")).isEqualTo("OK");
        assertThat(guest.text(XsMessageType.WATCH, 0, "b", "2")).isEqualTo("OK");
        assertThat(guest.text(XsMessageType.WATCH, 0, "c", "3")).isEqualTo("ERR:E2BIG");
        guest.text(XsMessageType.UNWATCH, 0, "a", "1");
        assertThat(guest.text(XsMessageType.WATCH, 0, "c", "3")).isEqualTo("OK");
    }

    @Test
    void transactionQuotaIsEnospc()
    {
        final String first = guest.text(XsMessageType.TRANSACTION_START, 0, "");
        guest.text(XsMessageType.TRANSACTION_START, 0, "");
        assertThat(guest.text(XsMessageType.TRANSACTION_START, 0, "")).isEqualTo("ERR:ENOSPC");
        guest.text(XsMessageType.TRANSACTION_END, Integer.parseInt(first), "F");
        assertThat(guest.text(XsMessageType.TRANSACTION_START, 0, "")).doesNotStartWith("ERR");
        for (int i = 0; i < 20; i++)
        {
            assertThat(dom0.text(XsMessageType.TRANSACTION_START, 0, "")).doesNotStartWith("ERR");
        }
    }

    @Test
    void quotaCountsWritesInsideTransactions()
    {
        final int tx = Integer.parseInt(guest.text(XsMessageType.TRANSACTION_START, 0, ""));
        for (int i = 0; i < 5; i++)
        {
            assertThat(guest.write(tx, "t" + i, "x")).isEqualTo("OK");
        }
        assertThat(guest.write(tx, "t5", "x")).isEqualTo("ERR:ENOSPC");
    }
}
