package org.coopvm.rings.testing;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Running the small C peers the interop tests compile against Xen's headers.
 */
public final class CPrograms
{
    private CPrograms()
    {
    }

    /**
     * @param process a started process.
     * @return its stdout, once it has exited (within 60 s, else the assertion fails); it is destroyed in any case.
     * @throws Exception when reading or waiting fails.
     */
    public static String finish(final Process process) throws Exception
    {
        try
        {
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("process finished").isTrue();
            return output;
        }
        finally
        {
            process.destroyForcibly();
        }
    }

    /**
     * Compile a C peer kept as a test resource next to {@code owner} against one of Xen's headers,
     * with {@code -O2 -Wall -Wextra -Werror}; the calling test is skipped (not failed) when the
     * header or gcc is missing, saying what to install.
     *
     * @param owner    the test class; the resource is found next to it.
     * @param resource the C file's name, e.g. {@code netif_peer.c}.
     * @param header   the Xen header the peer includes.
     * @param dir      where to put the source and the binary.
     * @param flags    extra gcc flags, e.g. {@code -D__XEN_INTERFACE_VERSION__=0x00040e00}.
     * @return the compiled binary.
     * @throws Exception when copying or compiling fails.
     */
    public static Path compilePeer(final Class<?> owner, final String resource, final Path header, final Path dir,
        final String... flags) throws Exception
    {
        assumeTrue(Files.exists(header), "Xen headers missing (" + header + "): apt-get install libxen-dev");
        assumeTrue(gccAvailable(), "gcc not found on PATH");
        final Path source = dir.resolve(resource);
        try (InputStream in = owner.getResourceAsStream(resource))
        {
            Files.copy(in, source);
        }
        final Path binary = dir.resolve(resource.replaceFirst("\\.c$", ""));
        final List<String> command = new ArrayList<>(List.of("gcc", "-O2", "-Wall", "-Wextra", "-Werror"));
        command.addAll(List.of(flags));
        command.addAll(List.of("-o", binary.toString(), source.toString()));
        final Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = finish(gcc);
        assertThat(gcc.exitValue()).as("gcc: %s", output).isZero();
        return binary;
    }

    /** @return whether {@code gcc} runs. */
    public static boolean gccAvailable()
    {
        try
        {
            final Process process = new ProcessBuilder("gcc", "--version").redirectErrorStream(true).start();
            finish(process);
            return process.exitValue() == 0;
        }
        catch (final Exception ex)
        {
            return false;
        }
    }
}
