package org.coopvm.cli.toolstack;

import org.agrona.DirectBuffer;
import org.coopvm.drivers.console.ConsoleOutput;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.hypercall.ConsoleSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Each domain's console log, {@code <run>/console/dom<N>.log}, appended as the guest writes:
 * through {@code console_io} (early boot, or no console ring) and through the console backend
 * (the ring). Both go through this one writer, so they never interleave mid-write.
 *
 * <p>Thread safety: called by the hypercall dispatcher under the hypervisor lock, by the console
 * backend's agent, and by the toolstack to close a destroyed domain's file; methods are
 * synchronized.
 */
final class ConsoleFiles implements ConsoleSink, ConsoleOutput, AutoCloseable
{
    private final Path dir;
    private final Map<Integer, FileChannel> open = new HashMap<>();
    private long writeErrors;

    ConsoleFiles(final Path runDir)
    {
        this.dir = runDir.resolve(Toolstack.CONSOLE_DIR);
    }

    @Override
    public synchronized void write(final Domain domain, final DirectBuffer bytes, final int offset, final int length)
    {
        try
        {
            final FileChannel file = channel(domain.domid());
            final byte[] copy = new byte[length];
            bytes.getBytes(offset, copy);
            file.write(ByteBuffer.wrap(copy));
        }
        catch (final IOException ex)
        {
            writeErrors++; // console output is best effort; a full disk must not stop the dispatcher
        }
    }

    @Override
    public synchronized void write(final int domid, final byte[] bytes, final int offset, final int length)
    {
        try
        {
            channel(domid).write(ByteBuffer.wrap(bytes, offset, length));
        }
        catch (final IOException ex)
        {
            writeErrors++; // best effort, as above
        }
    }

    /** @param domid a destroyed domain: close its file, keep its contents. */
    synchronized void close(final int domid)
    {
        final FileChannel file = open.remove(domid);
        if (file != null)
        {
            closeQuietly(file);
        }
    }

    /** @return writes that failed (disk full, ...). */
    synchronized long writeErrors()
    {
        return writeErrors;
    }

    /**
     * @param domid a domain.
     * @return its console file.
     */
    Path file(final int domid)
    {
        return dir.resolve("dom" + domid + ".log");
    }

    @Override
    public synchronized void close()
    {
        open.values().forEach(ConsoleFiles::closeQuietly);
        open.clear();
    }

    private FileChannel channel(final int domid) throws IOException
    {
        FileChannel file = open.get(domid);
        if (file == null)
        {
            Files.createDirectories(dir);
            file = FileChannel.open(file(domid), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            open.put(domid, file);
        }
        return file;
    }

    private static void closeQuietly(final FileChannel file)
    {
        try
        {
            file.close();
        }
        catch (final IOException ignore)
        {
            // nothing more to write to it
        }
    }
}
