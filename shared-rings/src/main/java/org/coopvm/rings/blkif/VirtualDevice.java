package org.coopvm.rings.blkif;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A virtual disk's name as xl writes it ({@code xvda}, {@code xvdb3}) and its number, as Xen's
 * {@code docs/misc/vbd-interface.txt} encodes it: for disk {@code d} below 16 and partition
 * {@code p} below 16, {@code 202 << 8 | d << 4 | p}; beyond, {@code 1 << 28 | d << 8 | p}. The
 * number is the device id in both xenbus paths ({@code device/vbd/51712}) and the frontend's
 * {@code virtual-device} key, as libxl makes them. Disk letters: {@code a}..{@code z}, then
 * {@code aa}.. (26 + ...), as Linux names them.
 *
 * @param name   the name, e.g. {@code xvda}.
 * @param number the encoded number, e.g. 51712.
 *
 * <p>Thread safety: immutable.
 */
public record VirtualDevice(String name, int number)
{
    /** Major number of Xen virtual disks. */
    public static final int XVD_MAJOR = 202;
    /** Most disks per domain the name form allows (the extended encoding's limit is higher). */
    public static final int MAX_DISKS = 26 + 26 * 26;
    private static final int EXTENDED_FLAG = 1 << 28;
    private static final int MAX_PARTITION = 255;
    private static final Pattern XVD = Pattern.compile("xvd([a-z]{1,2})([0-9]{0,3})");

    /**
     * @param name a name such as {@code xvda} or {@code xvdb1}.
     * @return the device, empty when the name is not an {@code xvd} name (or its partition is above 255).
     */
    public static Optional<VirtualDevice> parse(final String name)
    {
        final Matcher matcher = XVD.matcher(name);
        if (!matcher.matches())
        {
            return Optional.empty();
        }
        final int disk = diskIndex(matcher.group(1));
        final int partition = matcher.group(2).isEmpty() ? 0 : Integer.parseInt(matcher.group(2));
        if (partition > MAX_PARTITION || (!matcher.group(2).isEmpty() && matcher.group(2).startsWith("0")))
        {
            return Optional.empty();
        }
        final int number = disk < 16 && partition < 16 ?
            XVD_MAJOR << 8 | disk << 4 | partition : EXTENDED_FLAG | disk << 8 | partition;
        return Optional.of(new VirtualDevice(name, number));
    }

    /**
     * @param number a virtual device number (from a xenbus path).
     * @return the device with its {@code xvd} name, or named {@code vbd<number>} when the number
     *         is not an {@code xvd} encoding.
     */
    public static VirtualDevice of(final int number)
    {
        final int disk;
        final int partition;
        if ((number & EXTENDED_FLAG) != 0 && (number & ~EXTENDED_FLAG) >>> 8 < MAX_DISKS)
        {
            disk = (number & ~EXTENDED_FLAG) >>> 8;
            partition = number & 0xFF;
        }
        else if (number >>> 8 == XVD_MAJOR)
        {
            disk = (number >>> 4) & 0xF;
            partition = number & 0xF;
        }
        else
        {
            return new VirtualDevice("vbd" + Integer.toUnsignedString(number), number);
        }
        final String letters = disk < 26 ? String.valueOf((char)('a' + disk)) :
            String.valueOf((char)('a' + disk / 26 - 1)) + (char)('a' + disk % 26);
        return new VirtualDevice("xvd" + letters + (partition == 0 ? "" : Integer.toString(partition)), number);
    }

    private static int diskIndex(final String letters)
    {
        if (letters.length() == 1)
        {
            return letters.charAt(0) - 'a';
        }
        return 26 * (letters.charAt(0) - 'a' + 1) + letters.charAt(1) - 'a';
    }
}
