package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsErrno;

import java.util.ArrayList;
import java.util.List;

/**
 * A node's permission list as Xen has it: the first entry names the owner and the access of
 * every domain not listed; later entries give one domain its access. dom0 may do anything; the
 * owner may do anything.
 *
 * @param entries at least one entry; the first is the owner and the default.
 */
public record Permissions(List<Entry> entries)
{
    /** The highest domid an entry may name. */
    public static final int MAX_DOMID = 0x7FF0;

    /** Access levels, Xen's letters. */
    public enum Access
    {
        /** 'n': no access. */
        NONE('n'),
        /** 'r': read. */
        READ('r'),
        /** 'w': write. */
        WRITE('w'),
        /** 'b': read and write. */
        BOTH('b');

        private final char letter;

        Access(final char letter)
        {
            this.letter = letter;
        }

        /** @return Xen's letter. */
        public char letter()
        {
            return letter;
        }

        boolean reads()
        {
            return this == READ || this == BOTH;
        }

        boolean writes()
        {
            return this == WRITE || this == BOTH;
        }

        static Access fromLetter(final char letter)
        {
            for (final Access access : values())
            {
                if (access.letter == letter)
                {
                    return access;
                }
            }
            throw new XsException(XsErrno.EINVAL);
        }
    }

    /**
     * One entry.
     *
     * @param access the access.
     * @param domid  the domain.
     */
    public record Entry(Access access, int domid)
    {
        @Override
        public String toString()
        {
            return String.valueOf(access.letter()) + domid;
        }
    }

    /**
     * Copies and checks the list.
     */
    public Permissions
    {
        entries = List.copyOf(entries);
        if (entries.isEmpty())
        {
            throw new XsException(XsErrno.EINVAL);
        }
    }

    /**
     * @param owner  the owner.
     * @param access what every other domain may do.
     * @return a one-entry list.
     */
    public static Permissions of(final int owner, final Access access)
    {
        return new Permissions(List.of(new Entry(access, owner)));
    }

    /**
     * Parses Xen's textual entries ({@code <r|w|b|n><domid>}).
     *
     * @param texts the entries (untrusted).
     * @return the list.
     * @throws XsException EINVAL when an entry is malformed or the list is empty.
     */
    public static Permissions parse(final List<String> texts)
    {
        final List<Entry> entries = new ArrayList<>(texts.size());
        for (final String text : texts)
        {
            entries.add(parseEntry(text));
        }
        return new Permissions(entries);
    }

    private static Entry parseEntry(final String text)
    {
        if (text.length() < 2 || text.length() > 6)
        {
            throw new XsException(XsErrno.EINVAL);
        }
        for (int i = 1; i < text.length(); i++)
        {
            if (text.charAt(i) < '0' || text.charAt(i) > '9')
            {
                throw new XsException(XsErrno.EINVAL);
            }
        }
        final int domid = Integer.parseInt(text.substring(1));
        if (domid > MAX_DOMID)
        {
            throw new XsException(XsErrno.EINVAL);
        }
        return new Entry(Access.fromLetter(text.charAt(0)), domid);
    }

    /** @return the owner's domid. */
    public int owner()
    {
        return entries.getFirst().domid();
    }

    /** @return the same list with another owner (the default access kept). */
    public Permissions withOwner(final int domid)
    {
        final List<Entry> copy = new ArrayList<>(entries);
        copy.set(0, new Entry(entries.getFirst().access(), domid));
        return new Permissions(copy);
    }

    /** @return true when the domain may read. */
    public boolean canRead(final int domid)
    {
        return domid == 0 || domid == owner() || accessOf(domid).reads();
    }

    /** @return true when the domain may write. */
    public boolean canWrite(final int domid)
    {
        return domid == 0 || domid == owner() || accessOf(domid).writes();
    }

    private Access accessOf(final int domid)
    {
        for (int i = 1; i < entries.size(); i++)
        {
            if (entries.get(i).domid() == domid)
            {
                return entries.get(i).access();
            }
        }
        return entries.getFirst().access();
    }

    /** @return the entries as Xen's strings. */
    public List<String> texts()
    {
        return entries.stream().map(Entry::toString).toList();
    }
}
