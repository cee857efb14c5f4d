package org.coopvm.hypervisor.xenstore.xenbus;

import org.coopvm.hypervisor.xenstore.XenstoredAccess;
import org.coopvm.rings.xenbus.XenstoreAccess;
import org.coopvm.rings.xenbus.XenstoreAccessException;
import org.coopvm.rings.xenstore.XsErrno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * dom0's in-process {@link XenstoreAccess}: missing nodes are values, refusals carry xenstored's
 * errno, watch events wait for {@code pollEvents()}, and a transaction whose read node changed
 * before commit runs again (and gives up with EAGAIN after {@link XenstoreAccess#TRANSACTION_ATTEMPTS}).
 */
class XenstoredAccessTest
{
    private final XenbusFixture store = new XenbusFixture();
    private final XenstoredAccess other = XenstoredAccess.dom0(store.xenstored, () -> { });

    @AfterEach
    void close()
    {
        other.close();
        store.close();
    }

    @Test
    void missingNodesAreEmptyAndRefusalsNameTheErrno()
    {
        assertThat(store.dom0.read("/local/domain/7/nothing")).isEmpty();
        assertThat(store.dom0.directory("/local/domain/7")).isEmpty();
        store.dom0.rm("/local/domain/7/nothing");
        final XenstoredAccess guest = store.guest(1);
        assertThatThrownBy(() -> guest.read("/tool")).isInstanceOf(XenstoreAccessException.class)
            .extracting(e -> ((XenstoreAccessException)e).errno()).isEqualTo(XsErrno.EACCES);
    }

    @Test
    void watchEventsRunOnThePollingThreadAfterTheQueuedHookWoke()
    {
        final AtomicInteger woken = new AtomicInteger();
        try (XenstoredAccess watcher = XenstoredAccess.dom0(store.xenstored, woken::incrementAndGet))
        {
            final List<String> seen = new ArrayList<>();
            watcher.watch("/tool/x", "t", (path, token) -> seen.add(path + "|" + token + "|" + Thread.currentThread().getName()));
            other.write("/tool/x/y", "1");
            assertThat(seen).as("nothing before pollEvents").isEmpty();
            assertThat(woken).hasValue(2);

            assertThat(watcher.pollEvents()).isEqualTo(2);
            final String me = Thread.currentThread().getName();
            assertThat(seen).containsExactly("/tool/x|t|" + me, "/tool/x/y|t|" + me);
        }
    }

    @Test
    void aConflictingTransactionRunsAgainAndCommitsOnce()
    {
        store.dom0.write("/tool/counter", "0");
        final AtomicInteger runs = new AtomicInteger();

        final int result = store.dom0.transaction(tx ->
        {
            final int value = Integer.parseInt(tx.read("/tool/counter").orElseThrow());
            if (runs.incrementAndGet() == 1)
            {
                other.write("/tool/counter", "10"); // another dom0 program changes what we read
            }
            tx.write("/tool/counter", Integer.toString(value + 1));
            return value + 1;
        });

        assertThat(runs).hasValue(2);
        assertThat(result).isEqualTo(11);
        assertThat(store.dom0.read("/tool/counter")).contains("11");
        assertThat(store.dom0.transactionRetries()).isEqualTo(1);
    }

    @Test
    void aTransactionThatAlwaysConflictsGivesUpWithEagainAfterTheBound()
    {
        store.dom0.write("/tool/hot", "0");
        final AtomicInteger runs = new AtomicInteger();

        assertThatThrownBy(() -> store.dom0.transaction(tx ->
        {
            tx.read("/tool/hot");
            other.write("/tool/hot", Integer.toString(runs.incrementAndGet()));
            tx.write("/tool/mine", "x");
            return null;
        })).isInstanceOf(XenstoreAccessException.class)
            .extracting(e -> ((XenstoreAccessException)e).errno()).isEqualTo(XsErrno.EAGAIN);

        assertThat(runs).hasValue(XenstoreAccess.TRANSACTION_ATTEMPTS);
        assertThat(store.dom0.read("/tool/mine")).as("no attempt committed").isEmpty();
    }

    @Test
    void aBodyThatThrowsAbortsItsTransaction()
    {
        assertThatThrownBy(() -> store.dom0.transaction(tx ->
        {
            tx.write("/tool/half", "x");
            throw new IllegalStateException("changed my mind");
        })).isInstanceOf(IllegalStateException.class);

        assertThat(store.dom0.read("/tool/half")).isEmpty();
    }
}
