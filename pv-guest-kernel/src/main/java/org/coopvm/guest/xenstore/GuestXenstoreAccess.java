package org.coopvm.guest.xenstore;

import org.coopvm.rings.xenbus.XenstoreAccess;
import org.coopvm.rings.xenbus.XenstoreAccessException;
import org.coopvm.rings.xenstore.XsErrno;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@link XenstoreAccess} over the guest kernel's {@link XenstoreClient}: what the guest's xenbus
 * frontends use. Transactions are the client's (retried on EAGAIN, at most
 * {@link XenstoreClient#TRANSACTION_ATTEMPTS} runs); its {@link XenstoreException}s become
 * {@link XenstoreAccessException}s with the same errno.
 *
 * <p>Threading: as the client's. Watchers run where the client delivers events: vCPU 0's
 * xenstore upcall, or after any request on the thread that made it (outside the client's lock).
 * Every method may be called from any thread.
 */
public final class GuestXenstoreAccess implements XenstoreAccess
{
    private final XenstoreClient client;

    /**
     * @param client the kernel's connected client.
     */
    public GuestXenstoreAccess(final XenstoreClient client)
    {
        this.client = client;
    }

    @Override
    public Optional<String> read(final String path)
    {
        return absentIfMissing(() -> client.readString(path));
    }

    @Override
    public void write(final String path, final String value)
    {
        translated(() -> client.write(path, value));
    }

    @Override
    public void mkdir(final String path)
    {
        translated(() -> client.mkdir(path));
    }

    @Override
    public void rm(final String path)
    {
        ignoringMissing(() -> client.rm(path));
    }

    @Override
    public List<String> directory(final String path)
    {
        return absentIfMissing(() -> client.directory(path)).orElse(List.of());
    }

    @Override
    public void setPermissions(final String path, final List<String> permissions)
    {
        translated(() -> client.setPermissions(path, permissions));
    }

    @Override
    public void watch(final String path, final String token, final Watcher watcher)
    {
        translated(() -> client.watch(path, token, watcher::changed));
    }

    @Override
    public void unwatch(final String path, final String token)
    {
        translated(() -> client.unwatch(path, token));
    }

    @Override
    public <T> T transaction(final Function<Transaction, T> body)
    {
        try
        {
            return client.transaction(tx -> body.apply(new InTransaction(tx)));
        }
        catch (final XenstoreException ex)
        {
            throw translate(ex);
        }
    }

    private static void translated(final Runnable call)
    {
        try
        {
            call.run();
        }
        catch (final XenstoreException ex)
        {
            throw translate(ex);
        }
    }

    private static void ignoringMissing(final Runnable call)
    {
        absentIfMissing(() ->
        {
            call.run();
            return Boolean.TRUE;
        });
    }

    private static <T> Optional<T> absentIfMissing(final Supplier<T> call)
    {
        try
        {
            return Optional.of(call.get());
        }
        catch (final XenstoreException ex)
        {
            if (ex.errno() == XsErrno.ENOENT)
            {
                return Optional.empty();
            }
            throw translate(ex);
        }
    }

    private static XenstoreAccessException translate(final XenstoreException ex)
    {
        return new XenstoreAccessException(ex.errno(), ex.getMessage(), ex);
    }

    /** One transaction of the client. */
    private record InTransaction(XenstoreClient.Transaction tx) implements Transaction
    {
        @Override
        public Optional<String> read(final String path)
        {
            return absentIfMissing(() -> tx.read(path));
        }

        @Override
        public void write(final String path, final String value)
        {
            translated(() -> tx.write(path, value));
        }

        @Override
        public void mkdir(final String path)
        {
            translated(() -> tx.mkdir(path));
        }

        @Override
        public void rm(final String path)
        {
            ignoringMissing(() -> tx.rm(path));
        }

        @Override
        public List<String> directory(final String path)
        {
            return absentIfMissing(() -> tx.directory(path)).orElse(List.of());
        }

        @Override
        public void setPermissions(final String path, final List<String> permissions)
        {
            translated(() -> tx.setPermissions(path, permissions));
        }
    }
}
