package org.coopvm.guest.event;

/**
 * Called when an event arrives on a port: runs on the vCPU thread the port is bound to, between
 * task steps. Keep it short: typically it wakes a task ({@code TaskHandle.wake()}).
 */
@FunctionalInterface
public interface EventHandler
{
    /**
     * @param port the local port whose pending bit was just cleared.
     */
    void onEvent(int port);
}
