package org.coopvm.guest.coop;

import org.coopvm.rings.usage.UsageSnapshot;

/**
 * A guest-side cooperation policy (DESIGN section 7): the guest reads the host's usage page at a
 * period and acts on what it sees, giving back what others need or asking for what it needs,
 * instead of waiting for the host to decide. Memory policies ask and volunteer through
 * {@link CooperationContext#requestMemory(long)}; the CPU policies of the scheduler issue will use
 * the same SPI.
 *
 * <p>Found by {@link java.util.ServiceLoader}: list implementations in
 * {@code META-INF/services/org.coopvm.guest.coop.CooperationPolicy}; they need a public
 * no-argument constructor, and every guest (and every check) gets its own instance. A domain
 * chooses one with xl.cfg {@code coop_policy = "NAME"} and {@code coop_policy_args = [ "key=value", ... ]};
 * the guest kernel finds them in xenstore ({@code cooperation/policy}, {@code cooperation/args/<key>})
 * at boot and runs the policy on a task of vCPU 0.
 *
 * <p>Life cycle: {@link #configure} once (also by the toolstack at {@code coop create}, with no
 * guest, to refuse bad parameters before the domain is built), then {@link #start} once and
 * {@link #onUsage} every period, each on the cooperation task's vCPU thread, one call at a time:
 * an implementation may keep state without synchronisation. Calls must return promptly and never
 * block (no sleeping, no waiting on another thread); a call that throws is counted and reported on
 * the console, and the policy is called again next period.
 */
public interface CooperationPolicy
{
    /** @return the name domains choose it by ({@code coop_policy}): a-z 0-9 _ . -, starting with a letter or digit. */
    String name();

    /** @return one line saying what it does. */
    String description();

    /**
     * Read and check every parameter now, through {@code args} (each read declares the parameter,
     * its default and its range). No side effects: this also runs where no guest exists.
     *
     * @param args the domain's {@code coop_policy_args}.
     * @throws CooperationConfigException naming the parameter at fault.
     */
    void configure(CooperationArgs args);

    /**
     * The guest runs the policy: called once, before the first {@link #onUsage}.
     *
     * @param ctx the guest's services for cooperation.
     */
    default void start(final CooperationContext ctx)
    {
    }

    /**
     * One period: a consistent copy of the usage page, read just now. Periods in which the page
     * could not be read (not published yet, torn) are skipped.
     *
     * @param usage every domain's figures and the host's, as dom0 last published them.
     * @param ctx   the guest's services for cooperation.
     */
    void onUsage(UsageSnapshot usage, CooperationContext ctx);
}
