package org.coopvm.cli.toolstack;

import org.coopvm.hypervisor.api.ShutdownReason;
import org.coopvm.hypervisor.config.LifecycleAction;

/**
 * xl's {@code on_poweroff}, {@code on_reboot} and {@code on_crash}: which action a shut-down
 * domain gets, by its shutdown reason. A watchdog shutdown counts as a crash, a suspend is
 * preserved (there is no resume yet).
 *
 * <p>Stateless; called on the housekeeping thread.
 */
final class ShutdownActions
{
    private ShutdownActions()
    {
    }

    static void apply(final Toolstack toolstack, final DomainRecord record, final ShutdownReason reason)
    {
        switch (actionFor(record, reason))
        {
            case DESTROY -> toolstack.destroy(record);
            case RESTART -> toolstack.restart(record);
            case PRESERVE ->
            {
                // keep the shut-down domain listed until `coop destroy`
            }
        }
    }

    static LifecycleAction actionFor(final DomainRecord record, final ShutdownReason reason)
    {
        return switch (reason)
        {
            case POWEROFF -> record.config().onPoweroff();
            case REBOOT -> record.config().onReboot();
            case CRASH, WATCHDOG -> record.config().onCrash();
            case SUSPEND -> LifecycleAction.PRESERVE;
        };
    }
}
