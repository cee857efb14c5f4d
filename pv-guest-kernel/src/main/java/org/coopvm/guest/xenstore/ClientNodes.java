package org.coopvm.guest.xenstore;

import org.coopvm.rings.xenbus.XenstoreAccessException;
import org.coopvm.rings.xenbus.XenstoreNodes;
import org.coopvm.rings.xenstore.XsErrno;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@link XenstoreNodes} over one of the client's {@link XenstoreClient.Transaction}s (or its
 * operations outside a transaction): missing nodes become values, {@link XenstoreException}s
 * become {@link XenstoreAccessException}s with the same errno.
 *
 * <p>Thread safety: as the client's.
 */
class ClientNodes implements XenstoreNodes
{
    private final XenstoreClient.Transaction tx;

    ClientNodes(final XenstoreClient.Transaction tx)
    {
        this.tx = tx;
    }

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
        absentIfMissing(() ->
        {
            tx.rm(path);
            return Boolean.TRUE;
        });
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

    static void translated(final Runnable call)
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

    static XenstoreAccessException translate(final XenstoreException ex)
    {
        return new XenstoreAccessException(ex.errno(), ex.getMessage(), ex);
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
}
