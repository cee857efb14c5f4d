package org.coopvm.drivers.xenstore;

import org.agrona.concurrent.UnsafeBuffer;
import org.coopvm.guest.xenstore.GuestXenstoreAccess;
import org.coopvm.guest.xenstore.XenstoreClient;
import org.coopvm.guest.xenstore.XenstoreException;
import org.coopvm.hypervisor.xenstore.Permissions;
import org.coopvm.hypervisor.xenstore.XenstoreConfig;
import org.coopvm.hypervisor.xenstore.Xenstored;
import org.coopvm.hypervisor.xenstore.transport.XenstoreRingConnection;
import org.coopvm.hypervisor.xenstore.transport.XenstoreRingServer;
import org.coopvm.rings.xenbus.XenstoreAccess;
import org.coopvm.rings.xenbus.XenstoreAccessException;
import org.coopvm.rings.xenstore.XenstoreInterfaceDescriptor;
import org.coopvm.rings.xenstore.XsErrno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The guest kernel's xenstore client against xenstored over a ring page, both in this JVM: the
 * host's notify releases a semaphore the client sleeps on (standing in for the event channel).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XenstoreRingClientTest
{
    private final Xenstored xenstored = new Xenstored(XenstoreConfig.DEFAULTS);
    private final XenstoreRingServer server = new XenstoreRingServer(xenstored);

    @AfterEach
    void stop()
    {
        server.close();
    }

    private XenstoreClient guest(final int domid)
    {
        final String home = "/local/domain/" + domid;
        xenstored.mkdir(home);
        xenstored.setPermissions(home, new Permissions(List.of(new Permissions.Entry(Permissions.Access.NONE, 0),
            new Permissions.Entry(Permissions.Access.BOTH, domid))));
        final UnsafeBuffer page = new UnsafeBuffer(ByteBuffer.allocateDirect(XenstoreInterfaceDescriptor.PAYLOAD_LENGTH));
        final Semaphore doorbell = new Semaphore(0);
        final XenstoreRingConnection[] connection = new XenstoreRingConnection[1];
        connection[0] = server.attach(domid, page, doorbell::release);
        return new XenstoreClient(page, () -> server.kick(connection[0]),
            timeoutNs -> doorbell.tryAcquire(timeoutNs, TimeUnit.NANOSECONDS), TimeUnit.SECONDS.toNanos(10));
    }

    @Test
    void theEventUpcallDoesNotWaitForARequestInFlight() throws Exception
    {
        final String home = "/local/domain/7";
        xenstored.mkdir(home);
        xenstored.setPermissions(home, new Permissions(List.of(new Permissions.Entry(Permissions.Access.NONE, 0),
            new Permissions.Entry(Permissions.Access.BOTH, 7))));
        final UnsafeBuffer page = new UnsafeBuffer(ByteBuffer.allocateDirect(XenstoreInterfaceDescriptor.PAYLOAD_LENGTH));
        final XenstoreRingConnection[] connection = new XenstoreRingConnection[1];
        connection[0] = server.attach(7, page, () -> { });
        final CountDownLatch requesterMayWake = new CountDownLatch(1);
        final CountDownLatch requesterSleeps = new CountDownLatch(1);
        final XenstoreClient client = new XenstoreClient(page, () -> { }, timeoutNs -> // xenstored is kicked by hand below
        {
            requesterSleeps.countDown();
            requesterMayWake.await(timeoutNs, TimeUnit.NANOSECONDS);
        }, TimeUnit.SECONDS.toNanos(10));
        final Thread requester = Thread.ofPlatform().start(() -> client.write("x", "1"));
        assertThat(requesterSleeps.await(10, TimeUnit.SECONDS)).isTrue();

        final Thread upcall = Thread.ofPlatform().start(client::pollEvents);
        upcall.join(TimeUnit.SECONDS.toMillis(5));

        assertThat(upcall.isAlive()).as("the upcall returned while the request waited (a vCPU holding the slot)").isFalse();
        requesterMayWake.countDown();
        server.kick(connection[0]);
        requester.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(requester.isAlive()).isFalse();
        assertThat(xenstored.read(home + "/x")).hasValueSatisfying(bytes -> assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("1"));
    }

    @Test
    void readWriteDirectoryRm()
    {
        final XenstoreClient client = guest(1);
        client.write("device/vif/0/state", "1");
        assertThat(client.readString("device/vif/0/state")).isEqualTo("1");
        assertThat(client.directory("device/vif")).containsExactly("0");
        assertThat(client.domainPath(1)).isEqualTo("/local/domain/1");
        final String big = "x".repeat(2000);
        client.write("big", big);
        assertThat(client.readString("/local/domain/1/big")).isEqualTo(big);
        client.rm("device");
        assertThatThrownBy(() -> client.read("device/vif/0/state")).isInstanceOf(XenstoreException.class)
            .extracting(e -> ((XenstoreException)e).errno()).isEqualTo(XsErrno.ENOENT);
    }

    @Test
    void aGuestCannotReadAnotherGuestsNodes()
    {
        final XenstoreClient one = guest(1);
        guest(2).write("secret", "s");
        assertThatThrownBy(() -> one.read("/local/domain/2/secret"))
            .extracting(e -> ((XenstoreException)e).errno()).isEqualTo(XsErrno.EACCES);
    }

    @Test
    void watchCallbackSeesHostWrites() throws InterruptedException
    {
        final XenstoreClient client = guest(3);
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        client.watch("memory/target", "balloon", (path, token) -> events.add(path + "|" + token));
        assertThat(nextEvent(client, events)).isEqualTo("memory/target|balloon");
        xenstored.write("/local/domain/3/memory/target", "262144".getBytes(StandardCharsets.UTF_8));
        assertThat(nextEvent(client, events)).isEqualTo("memory/target|balloon");
        assertThat(client.readString("memory/target")).isEqualTo("262144");
    }

    /** Polls as the event-channel upcall would, until an event arrives or 5 s pass. */
    private static String nextEvent(final XenstoreClient client, final BlockingQueue<String> events) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        String event = events.poll();
        while (event == null && System.nanoTime() < deadline)
        {
            client.pollEvents();
            event = events.poll(10, TimeUnit.MILLISECONDS);
        }
        return event;
    }

    @Test
    void transactionsRetryOnEagain()
    {
        final XenstoreClient client = guest(4);
        client.write("counter", "0");
        final AtomicInteger runs = new AtomicInteger();
        final int result = client.transaction(tx ->
        {
            final int value = Integer.parseInt(tx.read("counter"));
            dom0ChangesTheCounterOnTheFirstRun(runs, 4);
            tx.write("counter", Integer.toString(value + 1));
            return value + 1;
        });
        assertRetriedOnce(runs, result, client.readString("counter"));
    }

    @Test
    void theXenbusAdapterTurnsMissingNodesIntoValuesAndKeepsTheErrno()
    {
        final XenstoreAccess access = new GuestXenstoreAccess(guest(5));
        assertThat(access.read("device/nothing")).isEmpty();
        assertThat(access.directory("device/nothing")).isEmpty();
        access.rm("device/nothing/below");
        access.transaction(tx ->
        {
            tx.mkdir("device/vbd/1");
            tx.write("device/vbd/1/state", "1");
            tx.setPermissions("device/vbd/1", List.of("n5", "r0"));
            return null;
        });
        assertThat(access.read("device/vbd/1/state")).contains("1");
        assertThat(xenstored.read("/local/domain/5/device/vbd/1/state")).isPresent();
        assertThatThrownBy(() -> access.read("/tool")).isInstanceOf(XenstoreAccessException.class)
            .extracting(e -> ((XenstoreAccessException)e).errno()).isEqualTo(XsErrno.EACCES);
    }

    @Test
    void theXenbusAdapterRetriesAConflictingTransactionThroughTheClient()
    {
        final XenstoreAccess access = new GuestXenstoreAccess(guest(6));
        access.write("counter", "0");
        final AtomicInteger runs = new AtomicInteger();
        final int result = access.transaction(tx ->
        {
            final int value = Integer.parseInt(tx.read("counter").orElseThrow());
            dom0ChangesTheCounterOnTheFirstRun(runs, 6);
            tx.write("counter", Integer.toString(value + 1));
            return value + 1;
        });
        assertRetriedOnce(runs, result, access.read("counter").orElseThrow());
    }

    /** Inside a transaction: the first time, dom0 changes the counter the transaction read. */
    private void dom0ChangesTheCounterOnTheFirstRun(final AtomicInteger runs, final int domid)
    {
        if (runs.incrementAndGet() == 1)
        {
            xenstored.write("/local/domain/" + domid + "/counter", "10".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The first run conflicted and the second committed on top of dom0's 10. */
    private static void assertRetriedOnce(final AtomicInteger runs, final int result, final String counter)
    {
        assertThat(runs).as("runs").hasValue(2);
        assertThat(result).isEqualTo(11);
        assertThat(counter).isEqualTo("11");
    }
}
