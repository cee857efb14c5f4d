package org.coopvm.rings.testing;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

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
