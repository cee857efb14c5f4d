package org.coopvm.hypervisor.trace;

import java.nio.file.Path;

/**
 * Refuses to touch Chronicle unless {@code -Dchronicle.analytics.disable=true} is set, so a JVM
 * started without CoopVM's jvm.options never sends usage data. Called before any Chronicle class
 * is used. Stateless; any thread.
 */
public final class ChronicleSafety
{
    /** The system property Chronicle reads to disable its usage analytics. */
    public static final String ANALYTICS_DISABLE_PROPERTY = "chronicle.analytics.disable";

    private ChronicleSafety()
    {
    }

    /**
     * Checks this JVM's {@value #ANALYTICS_DISABLE_PROPERTY} property.
     *
     * @param queueDir the queue about to be opened, for the message.
     * @throws IllegalStateException if the property is not "true".
     */
    public static void requireAnalyticsDisabled(final Path queueDir)
    {
        requireAnalyticsDisabled(System.getProperty(ANALYTICS_DISABLE_PROPERTY), queueDir);
    }

    /**
     * @param propertyValue the value of {@value #ANALYTICS_DISABLE_PROPERTY}, or null if unset.
     * @param queueDir      the queue about to be opened, for the message.
     * @throws IllegalStateException if {@code propertyValue} is not "true".
     */
    public static void requireAnalyticsDisabled(final String propertyValue, final Path queueDir)
    {
        if (!"true".equals(propertyValue))
        {
            throw new IllegalStateException("refusing to open the trace queue " + queueDir + ": this JVM runs without -D" +
                ANALYTICS_DISABLE_PROPERTY + "=true (found " + propertyValue + "), so Chronicle would send usage data;" +
                " start it with the flags in jvm.options (./coop does)");
        }
    }
}
