package org.coopvm.drivers.block;

import org.coopvm.rings.blkif.BlkifDevice;
import org.coopvm.rings.blkif.BlkifRing;
import org.coopvm.rings.domain.SharedInfoDescriptor;
import org.coopvm.rings.xenbus.XenbusEnd;
import org.coopvm.rings.xenbus.XenstoreNumbers;

import java.util.Optional;

/**
 * What a blkfront published with Initialised, read once from its directory and checked as
 * untrusted text: {@code ring-ref} or {@code ring-page-order} with {@code ring-ref0..}, the
 * {@code event-channel}, the {@code protocol} and {@code feature-persistent}.
 *
 * @param order      the ring's page order, 0..4.
 * @param ringRefs   one grant reference per ring page.
 * @param port       the guest's port, 1..4095.
 * @param persistent whether the frontend reuses its grants.
 *
 * <p>Thread safety: immutable.
 */
record FrontendKeys(int order, int[] ringRefs, int port, boolean persistent)
{

    /**
     * @param end the backend's end (reads the frontend's keys).
     * @return the keys, or a refusal naming what is wrong.
     */
    static Result read(final XenbusEnd end)
    {
        final Optional<String> protocol = end.readOther(BlkifDevice.PROTOCOL);
        if (protocol.isPresent() && !protocol.get().equals(BlkifDevice.PROTOCOL_X86_64))
        {
            return Result.refused("protocol '" + shorten(protocol.get()) + "' is not " + BlkifDevice.PROTOCOL_X86_64);
        }
        final Optional<String> orderText = end.readOther(BlkifDevice.RING_PAGE_ORDER);
        final long order = orderText.isEmpty() ? 0 : XenstoreNumbers.decimal(orderText, BlkifRing.MAX_RING_PAGE_ORDER);
        if (order < 0)
        {
            return Result.refused("ring-page-order '" + shorten(orderText.orElse("")) + "' is not 0.." + BlkifRing.MAX_RING_PAGE_ORDER);
        }
        final int[] refs = new int[1 << order];
        for (int page = 0; page < refs.length; page++)
        {
            final String key = order == 0 && orderText.isEmpty() ? BlkifDevice.RING_REF : BlkifDevice.ringRef(page);
            final long ref = XenstoreNumbers.decimal(end.readOther(key), Integer.MAX_VALUE);
            if (ref < 0)
            {
                return Result.refused(key + " is missing or not a grant reference");
            }
            refs[page] = (int)ref;
        }
        final long port = XenstoreNumbers.decimal(end.readOther(BlkifDevice.EVENT_CHANNEL), SharedInfoDescriptor.NR_EVENT_CHANNELS - 1);
        if (port <= 0)
        {
            return Result.refused("event-channel is missing or not a port 1.." + (SharedInfoDescriptor.NR_EVENT_CHANNELS - 1));
        }
        final boolean persistent = end.readOther(BlkifDevice.FEATURE_PERSISTENT).map("1"::equals).orElse(false);
        return new Result(new FrontendKeys((int)order, refs, (int)port, persistent), null);
    }

    private static String shorten(final String text)
    {
        return text.length() <= 32 ? text : text.substring(0, 32) + "...";
    }

    /**
     * @param keys    the keys, when they were all right.
     * @param refusal what was wrong, otherwise.
     */
    record Result(FrontendKeys keys, String refusal)
    {
        static Result refused(final String why)
        {
            return new Result(null, why);
        }
    }
}
