package org.coopvm.hypervisor.config;

import org.coopvm.rings.blkif.VirtualDevice;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * One entry of a domain config's {@code disk = [...]}: a raw image file served to the guest as a
 * virtual disk, in xl's disk syntax ({@code xl-disk-configuration(5)}). Positional parameters in
 * xl's order {@code target, format, vdev, access} (a format that is not a format name is skipped,
 * so the old {@code 'file:/img,xvda,w'} works), or {@code key=value}: {@code target=} (last: the
 * rest of the text is the path, commas included), {@code format=raw}, {@code vdev=xvda},
 * {@code access=r|ro|w|rw} (default rw), {@code devtype=disk}. The target may carry the old
 * {@code file:} or {@code aio:} prefix. CoopVM adds {@code size=<n>[K|M|G|T]} (binary units, a
 * multiple of 512 bytes): when the image does not exist, the toolstack creates it sparse with that
 * size (an existing image is used as it is, never resized). A relative target is resolved against
 * the config file's directory.
 *
 * @param target      the image file, absolute.
 * @param vdev        the virtual device.
 * @param readOnly    whether the guest may only read.
 * @param createBytes size of the image to create when it does not exist, 0 for none (it must exist).
 *
 * <p>Thread safety: immutable.
 */
public record DiskSpec(Path target, VirtualDevice vdev, boolean readOnly, long createBytes)
{
    private static final Set<String> FORMATS = Set.of("raw", "qcow", "qcow2", "vhd", "qed");
    private static final String[] POSITIONAL = {"target", "format", "vdev", "access"};

    /**
     * Checks the parts.
     */
    public DiskSpec
    {
        if (!target.isAbsolute() || createBytes < 0 || createBytes % 512 != 0)
        {
            throw new IllegalArgumentException("disk " + vdev.name() + ": target " + target + " must be absolute, size a multiple of 512");
        }
    }

    /**
     * @param spec      one string of {@code disk = [...]}.
     * @param configDir the config file's directory (relative targets), or null for the working directory.
     * @return the disk.
     * @throws IllegalArgumentException saying what is wrong with the spec.
     */
    public static DiskSpec parse(final String spec, final Path configDir)
    {
        final Parsed parsed = new Parsed();
        int position = 0;
        String rest = spec;
        while (!rest.isBlank())
        {
            rest = rest.stripLeading();
            if (rest.startsWith("target="))
            {
                parsed.set("target", rest.substring("target=".length()));
                break;
            }
            final int comma = rest.indexOf(',');
            final String token = (comma < 0 ? rest : rest.substring(0, comma)).trim();
            rest = comma < 0 ? "" : rest.substring(comma + 1);
            position = token.indexOf('=') > 0 ? keyValue(parsed, token, position) : positional(parsed, token, position);
        }
        return parsed.build(spec, configDir);
    }

    private static int keyValue(final Parsed parsed, final String token, final int position)
    {
        final String key = token.substring(0, token.indexOf('='));
        parsed.set(key, token.substring(key.length() + 1));
        return position;
    }

    private static int positional(final Parsed parsed, final String token, final int position)
    {
        int slot = position;
        if (slot == 1 && !FORMATS.contains(token.toLowerCase(Locale.ROOT)))
        {
            slot = 2; // no format given: this is the vdev (xl's legacy 'target,vdev,access')
        }
        if (slot >= POSITIONAL.length)
        {
            throw new IllegalArgumentException("too many positional parameters at '" + token + "' (target, format, vdev, access)");
        }
        if (!token.isEmpty())
        {
            parsed.set(POSITIONAL[slot], token);
        }
        return slot + 1;
    }

    /** What the spec said, key by key. */
    private static final class Parsed
    {
        private String target;
        private String format = "raw";
        private String vdev;
        private String access = "rw";
        private String size;

        void set(final String key, final String value)
        {
            switch (key)
            {
                case "target" -> target = value;
                case "format" -> format = value;
                case "vdev" -> vdev = value;
                case "access" -> access = value;
                case "size" -> size = value;
                case "devtype" -> requireDisk(value);
                default -> throw new IllegalArgumentException("unknown key '" + key +
                    "' (known: target, format, vdev, access, devtype, size)");
            }
        }

        DiskSpec build(final String spec, final Path configDir)
        {
            if (!"raw".equalsIgnoreCase(format))
            {
                throw new IllegalArgumentException("format " + format + " is not served: CoopVM serves raw images");
            }
            final VirtualDevice device = VirtualDevice.parse(vdev == null ? "" : vdev).orElseThrow(() ->
                new IllegalArgumentException(vdev == null ? "no vdev (e.g. xvda)" : "vdev '" + vdev + "' is not a Xen disk name such as xvda"));
            return new DiskSpec(path(configDir), device, readOnly(), bytes());
        }

        private Path path(final Path configDir)
        {
            String path = target == null ? "" : target.trim();
            for (final String prefix : new String[] {"file:", "aio:", "tap:aio:"})
            {
                path = path.startsWith(prefix) ? path.substring(prefix.length()) : path;
            }
            if (path.isEmpty() || path.startsWith("phy:"))
            {
                throw new IllegalArgumentException(path.isEmpty() ? "no target (the image file)" : "phy: devices are not served, only image files");
            }
            final Path file = Path.of(path);
            return file.isAbsolute() ? file.normalize() : (configDir == null ? file.toAbsolutePath() : configDir.resolve(file).toAbsolutePath()).normalize();
        }

        private boolean readOnly()
        {
            return switch (access.toLowerCase(Locale.ROOT))
            {
                case "r", "ro" -> true;
                case "w", "rw" -> false;
                default -> throw new IllegalArgumentException("access '" + access + "' is not r, ro, w or rw");
            };
        }

        private long bytes()
        {
            if (size == null)
            {
                return 0;
            }
            final String text = size.trim().toUpperCase(Locale.ROOT);
            final int unit = "KMGT".indexOf(text.isEmpty() ? ' ' : text.charAt(text.length() - 1));
            final String digits = unit < 0 ? text : text.substring(0, text.length() - 1);
            if (digits.isEmpty() || digits.length() > 15 || !digits.chars().allMatch(Character::isDigit))
            {
                throw new IllegalArgumentException("size '" + size + "' is not a byte count such as 64M");
            }
            final long bytes = Long.parseLong(digits) << (unit < 0 ? 0 : 10 * (unit + 1));
            if (bytes <= 0 || bytes % 512 != 0 || bytes >> (unit < 0 ? 0 : 10 * (unit + 1)) != Long.parseLong(digits))
            {
                throw new IllegalArgumentException("size '" + size + "' must be a positive multiple of 512 bytes");
            }
            return bytes;
        }

        private static void requireDisk(final String value)
        {
            if (!"disk".equals(value))
            {
                throw new IllegalArgumentException("devtype '" + value + "' is not served, only disk");
            }
        }
    }
}
