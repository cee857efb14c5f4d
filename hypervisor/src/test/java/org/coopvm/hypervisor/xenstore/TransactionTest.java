package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsMessageType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TransactionTest
{
    private final Xenstored xenstored = new Xenstored(XenstoreConfig.DEFAULTS);
    private final XsProbe a = new XsProbe(xenstored, 0);
    private final XsProbe b = new XsProbe(xenstored, 0);

    private int start(final XsProbe probe)
    {
        return Integer.parseInt(probe.text(XsMessageType.TRANSACTION_START, 0, ""));
    }

    @Test
    void readNodeChangedMeanwhileFailsCommitWithEagainAndAppliesNothing()
    {
        a.write("/c", "0");
        final int tx = start(a);
        assertThat(a.text(XsMessageType.READ, tx, "/c")).isEqualTo("0");
        a.write(tx, "/d", "from-tx");
        b.write("/c", "1");
        assertThat(a.text(XsMessageType.TRANSACTION_END, tx, "T")).isEqualTo("ERR:EAGAIN");
        assertThat(a.read("/d")).isEqualTo("ERR:ENOENT");
        assertThat(a.text(XsMessageType.TRANSACTION_END, tx, "T")).isEqualTo("ERR:ENOENT");
    }

    @Test
    void nodeCreatedMeanwhileThatTheTransactionSawAbsentConflicts()
    {
        final int tx = start(a);
        assertThat(a.text(XsMessageType.READ, tx, "/new")).isEqualTo("ERR:ENOENT");
        b.write("/new", "x");
        assertThat(a.text(XsMessageType.TRANSACTION_END, tx, "T")).isEqualTo("ERR:EAGAIN");
    }

    @Test
    void unrelatedChangesDoNotConflictAndTheTransactionIsIsolated()
    {
        a.write("/p/x", "0");
        final int tx = start(a);
        a.write(tx, "/p/x", "1");
        assertThat(a.text(XsMessageType.READ, tx, "/p/x")).isEqualTo("1");
        assertThat(b.read("/p/x")).isEqualTo("0");
        b.write("/q", "other");
        assertThat(a.text(XsMessageType.TRANSACTION_END, tx, "T")).isEqualTo("OK");
        assertThat(b.read("/p/x")).isEqualTo("1");
    }

    @Test
    void retryAfterEagainSucceeds()
    {
        a.write("/counter", "0");
        int attempts = 0;
        String outcome;
        do
        {
            attempts++;
            final int tx = start(a);
            final int value = Integer.parseInt(a.text(XsMessageType.READ, tx, "/counter"));
            if (attempts == 1)
            {
                b.write("/counter", "10");
            }
            a.write(tx, "/counter", Integer.toString(value + 1));
            outcome = a.text(XsMessageType.TRANSACTION_END, tx, "T");
        }
        while ("ERR:EAGAIN".equals(outcome));
        assertThat(attempts).isEqualTo(2);
        assertThat(a.read("/counter")).isEqualTo("11");
    }

    @Test
    void badTransactionUse()
    {
        assertThat(a.text(XsMessageType.READ, 77, "/")).isEqualTo("ERR:ENOENT");
        final int tx = start(a);
        assertThat(a.text(XsMessageType.TRANSACTION_START, tx, "")).isEqualTo("ERR:EBUSY");
        assertThat(a.text(XsMessageType.TRANSACTION_END, tx, "maybe")).isEqualTo("ERR:EINVAL");
        assertThat(b.text(XsMessageType.TRANSACTION_END, tx, "T")).isEqualTo("ERR:ENOENT");
        assertThat(a.text(XsMessageType.TRANSACTION_END, tx, "F")).isEqualTo("OK");
    }

    @Test
    void rmInsideTransactionRemovesTheSubtreeOnCommit()
    {
        a.write("/s/t/u", "1");
        final int tx = start(a);
        assertThat(a.text(XsMessageType.RM, tx, "/s")).isEqualTo("OK");
        assertThat(b.read("/s/t/u")).isEqualTo("1");
        assertThat(a.text(XsMessageType.TRANSACTION_END, tx, "T")).isEqualTo("OK");
        assertThat(b.read("/s/t/u")).isEqualTo("ERR:ENOENT");
        assertThat(b.read("/s")).isEqualTo("ERR:ENOENT");
    }
}
