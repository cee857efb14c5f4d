package org.coopvm.rings.netif;

import java.util.HexFormat;

/**
 * A 48-bit Ethernet address, as {@code xx:xx:xx:xx:xx:xx} text (the {@code mac} key) and as the
 * low 48 bits of a long (big-endian: the first byte on the wire is the most significant).
 *
 * @param value the address in the low 48 bits.
 */
public record MacAddress(long value)
{
    /** {@code ff:ff:ff:ff:ff:ff}. */
    public static final MacAddress BROADCAST = new MacAddress(0xFFFF_FFFF_FFFFL);
    /** Xen's OUI, the prefix of generated addresses: {@code 00:16:3e}. */
    public static final long XEN_OUI = 0x00163EL;

    /** Checks the value fits 48 bits. */
    public MacAddress
    {
        if ((value & ~0xFFFF_FFFF_FFFFL) != 0)
        {
            throw new IllegalArgumentException("not a 48-bit MAC address: " + Long.toHexString(value));
        }
    }

    /**
     * @param text {@code xx:xx:xx:xx:xx:xx}, hex digits, either case.
     * @return the address.
     * @throws IllegalArgumentException naming the text when it is not one.
     */
    public static MacAddress parse(final String text)
    {
        final String[] parts = text.split(":", -1);
        if (parts.length != 6)
        {
            throw new IllegalArgumentException("MAC address '" + text + "' is not six ':'-separated hex bytes");
        }
        long value = 0;
        for (final String part : parts)
        {
            if (part.length() != 2 || !HexFormat.isHexDigit(part.charAt(0)) || !HexFormat.isHexDigit(part.charAt(1)))
            {
                throw new IllegalArgumentException("MAC address '" + text + "' is not six ':'-separated hex bytes");
            }
            value = value << 8 | HexFormat.fromHexDigits(part);
        }
        return new MacAddress(value);
    }

    /**
     * Xen's default for a guest's vif: {@code 00:16:3e} followed by 24 bits from the domain and
     * device number.
     *
     * @param domid  the guest.
     * @param handle the vif's number.
     * @return the address.
     */
    public static MacAddress generated(final int domid, final int handle)
    {
        return new MacAddress(XEN_OUI << 24 | (domid & 0xFFFF) << 8 | handle & 0xFF);
    }

    /** @return whether the group bit (the first byte's lowest bit) is set: broadcast or multicast. */
    public boolean isGroup()
    {
        return (value >>> 40 & 1) != 0;
    }

    @Override
    public String toString()
    {
        final StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8)
        {
            text.append(HexFormat.of().toHexDigits((byte)(value >>> shift)));
            if (shift != 0)
            {
                text.append(':');
            }
        }
        return text.toString();
    }
}
