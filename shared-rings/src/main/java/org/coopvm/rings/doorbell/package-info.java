/**
 * Doorbells: futex words in shared mappings that let a consumer sleep when idle and a
 * producer wake it across processes with one system call, only when it announced it sleeps.
 *
 * <ul>
 *     <li>{@link org.coopvm.rings.doorbell.Futex}: {@code futex(2)} wait and wake through FFM;</li>
 *     <li>{@link org.coopvm.rings.doorbell.Doorbell} ({@link org.coopvm.rings.doorbell.DoorbellDescriptor}):
 *     the eventcount protocol, prepare / re-check / sleep against publish / wake-if-sleeping;</li>
 *     <li>{@link org.coopvm.rings.doorbell.PeerLiveness} ({@link org.coopvm.rings.doorbell.PeerLivenessDescriptor}):
 *     pid, heartbeat, epoch and state of one endpoint, so a waiter can tell a gone peer from silence;</li>
 *     <li>{@link org.coopvm.rings.doorbell.WaitStrategy} and
 *     {@link org.coopvm.rings.doorbell.SpinThenSleepWaitStrategy}: spin, yield, then sleep in
 *     slices of the liveness check interval ({@link org.coopvm.rings.doorbell.WaitConfig});</li>
 *     <li>{@link org.coopvm.rings.doorbell.DoorbellIdleStrategy}: the same as an Agrona {@code IdleStrategy};</li>
 *     <li>{@link org.coopvm.rings.doorbell.AdaptivePollWindow}: how long an idle waiter holds on
 *     before it sleeps, adapted as KVM adapts {@code halt_poll_ns}.</li>
 * </ul>
 */
package org.coopvm.rings.doorbell;
