package org.coopvm.rings.console;

import org.agrona.concurrent.AtomicBuffer;
import org.coopvm.rings.region.RegionHeaderDescriptor;
import org.coopvm.rings.region.RegionType;
import org.coopvm.rings.region.SharedRegion;
import org.coopvm.rings.testing.CPrograms;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Byte compatibility with Xen's {@code io/console.h}: a peer compiled against the installed
 * header reads what Java's writer put in {@code in[]} (indices about to wrap at 2^32) and echoes
 * it into {@code out[]} for Java's reader. Skipped when gcc or the Xen headers are missing.
 */
class ConsoleRingCInteropTest
{
    private static final Path CONSOLE_H = Path.of("/usr/include/xen/io/console.h");

    @TempDir
    static Path dir;
    private static Path peer;

    @BeforeAll
    static void compilePeer() throws Exception
    {
        peer = CPrograms.compilePeer(ConsoleRingCInteropTest.class, "console_peer.c", CONSOLE_H, dir);
    }

    @Test
    void javaOffsetsAreTheCStructs() throws Exception
    {
        final Process process = new ProcessBuilder(peer.toString(), "layout").start();
        final String output = CPrograms.finish(process).strip();
        assertThat(process.exitValue()).isZero();
        assertThat(output).isEqualTo("xencons %d %d %d %d %d %d %d".formatted(ConsoleRingDescriptor.IN_OFFSET,
            ConsoleRingDescriptor.OUT_OFFSET, ConsoleRingDescriptor.IN_CONS_OFFSET, ConsoleRingDescriptor.IN_PROD_OFFSET,
            ConsoleRingDescriptor.OUT_CONS_OFFSET, ConsoleRingDescriptor.OUT_PROD_OFFSET, ConsoleRingDescriptor.INTERFACE_LENGTH));
    }

    @Test
    void aCPeerReadsWhatJavaWroteAndJavaReadsItsEchoAcrossTheWrap() throws Exception
    {
        try (SharedRegion region = SharedRegion.createFile(dir.resolve("console.region"), RegionType.RAW, 0, 4096))
        {
            final AtomicBuffer page = region.payloadBuffer();
            page.putInt(ConsoleRingDescriptor.IN_CONS_OFFSET, 0xFFFF_FE00);
            page.putInt(ConsoleRingDescriptor.IN_PROD_OFFSET, 0xFFFF_FE00);
            page.putInt(ConsoleRingDescriptor.OUT_CONS_OFFSET, 0xFFFF_FB00);
            page.putInt(ConsoleRingDescriptor.OUT_PROD_OFFSET, 0xFFFF_FB00);
            final byte[] sent = ConsoleRingTest.pattern(1000);
            assertThat(new ConsoleRingWriter().wrap(page, ConsoleRingHalf.IN).write(sent, 0, sent.length)).isEqualTo(1000);
            final ConsoleRingReader reader = new ConsoleRingReader().wrap(page, ConsoleRingHalf.OUT);

            final Process process = new ProcessBuilder(peer.toString(), "echo", region.path().orElseThrow().toString(),
                String.valueOf(RegionHeaderDescriptor.PAYLOAD_OFFSET)).redirectError(dir.resolve("echo.stderr").toFile()).start();
            final String output = CPrograms.finish(process).strip();

            assertThat(process.exitValue()).as("C peer exit status; stderr in %s", dir).isZero();
            assertThat(output).isEqualTo("echoed 1000");
            assertThat(page.getInt(ConsoleRingDescriptor.IN_CONS_OFFSET)).isEqualTo(0xFFFF_FE00 + 1000);
            final byte[] echoed = new byte[2048];
            assertThat(reader.read(echoed, 0, echoed.length)).isEqualTo(1000);
            assertThat(java.util.Arrays.copyOf(echoed, 1000)).isEqualTo(sent);
        }
    }
}
