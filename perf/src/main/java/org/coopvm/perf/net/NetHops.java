package org.coopvm.perf.net;

import org.coopvm.drivers.net.VifCounters;

import java.util.Locale;
import java.util.Map;

/**
 * One line on where a stream's frames went hop by hop, from the counters of both vifs in dom0 and
 * what both net-stream guests published: frames per wake-up of the sending vCPU (per step and per
 * notification), of the sender's netback agent (per tx batch, per park), of the rx push (per batch
 * into the receiver's buffers) and of the receiving vCPU (per event), and where frames waited.
 * Stateless.
 */
final class NetHops
{
    private NetHops()
    {
    }

    /**
     * @param sender          what the sending guest published.
     * @param senderVif       the sender's vif counters in dom0.
     * @param receiverVif     the receiver's vif counters in dom0.
     * @param receiver        what the receiving guest published.
     * @return the line.
     */
    static String describe(final Map<String, String> sender, final Map<VifCounters.Value, Long> senderVif,
        final Map<VifCounters.Value, Long> receiverVif, final Map<String, String> receiver)
    {
        final long sent = number(sender, "sent-frames");
        final long txFrames = senderVif.getOrDefault(VifCounters.Value.TX_FRAMES, 0L);
        final long rxFrames = receiverVif.getOrDefault(VifCounters.Value.RX_FRAMES, 0L);
        return String.format(Locale.ROOT,
            "sender vCPU %.1f frames/step, %.1f frames/notification (%,d notifications, %,d sends refused: tx ring full, %,d " +
                "window stalls); sender's netback %.1f frames/tx batch, %.1f frames/frontend event, %,d parks, %,d notifications " +
                "to the sender; rx %.1f " +
                "frames/push into the receiver's buffers, %,d frames queued for want of a posted buffer, %,d dropped; " +
                "receiver vCPU %.1f frames/event (%,d events), %,d repost notifications, running/runnable/blocked %s/%s/%s ms; " +
                "sender vCPU running/runnable/blocked %s/%s/%s ms",
            ratio(sent, number(sender, "steps")), ratio(sent, number(sender, "vif-notifications")),
            number(sender, "vif-notifications"), number(sender, "vif-tx-full"), number(sender, "stalls"),
            ratio(txFrames, senderVif.getOrDefault(VifCounters.Value.TX_BATCHES, 0L)),
            ratio(txFrames, senderVif.getOrDefault(VifCounters.Value.FRONTEND_EVENTS, 0L)),
            senderVif.getOrDefault(VifCounters.Value.AGENT_PARKS, 0L), senderVif.getOrDefault(VifCounters.Value.NOTIFICATIONS, 0L),
            ratio(rxFrames, receiverVif.getOrDefault(VifCounters.Value.RX_BATCHES, 0L)),
            receiverVif.getOrDefault(VifCounters.Value.RX_QUEUED, 0L), receiverVif.getOrDefault(VifCounters.Value.DROPPED_RX_FULL, 0L),
            ratio(number(receiver, "vif-received"), number(receiver, "vif-events")), number(receiver, "vif-events"),
            number(receiver, "vif-notifications"), receiver.getOrDefault("vcpu-running-ms", "?"), receiver.getOrDefault("vcpu-runnable-ms", "?"),
            receiver.getOrDefault("vcpu-blocked-ms", "?"), sender.getOrDefault("vcpu-running-ms", "?"), sender.getOrDefault("vcpu-runnable-ms", "?"), sender.getOrDefault("vcpu-blocked-ms", "?"));
    }

    private static double ratio(final long frames, final long wakes)
    {
        return wakes <= 0 ? 0 : (double)frames / wakes;
    }

    private static long number(final Map<String, String> figures, final String name)
    {
        try
        {
            return Long.parseLong(figures.getOrDefault(name, "0"));
        }
        catch (final NumberFormatException ex)
        {
            return 0;
        }
    }
}
