package org.coopvm.rings.xenbus;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The state codes are Xen's, and a state node's value parses only when it is a known code in
 * plain decimal: everything else a peer might write is a typed failure, never another state.
 */
class XenbusStateTest
{
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("[0-9]{1,10}");

    @Test
    void codesAreXens()
    {
        assertThat(XenbusState.values()).extracting(XenbusState::code).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(XenbusState.INIT_WAIT.text()).isEqualTo("2");
        assertThat(XenbusState.parse("4")).isEqualTo(XenbusState.CONNECTED);
        assertThat(XenbusState.parse("06")).isEqualTo(XenbusState.CLOSED);
    }

    @Test
    void garbageIsATypedFailureThatKeepsAShortCopy()
    {
        assertThatThrownBy(() -> XenbusState.parse("x".repeat(1000))).isInstanceOf(XenbusStateException.class)
            .extracting(e -> ((XenbusStateException)e).raw()).asString().hasSizeLessThan(40);
        for (final String garbage : new String[] {"", " 4", "4 ", "+4", "-0", "9", "4\n", "\u0664", "4294967300"})
        {
            assertThatThrownBy(() -> XenbusState.parse(garbage)).as("'%s'", garbage).isInstanceOf(XenbusStateException.class);
        }
    }

    @Property
    boolean anyTextParsesExactlyWhenItIsAKnownCodeInPlainDecimal(@ForAll final String text)
    {
        final boolean valid = PLAIN_DECIMAL.matcher(text).matches() && Long.parseLong(text) <= 8;
        try
        {
            final XenbusState state = XenbusState.parse(text);
            return valid && state.code() == Long.parseLong(text);
        }
        catch (final XenbusStateException ex)
        {
            return !valid;
        }
    }

    @Property
    boolean everyStateSurvivesItsText(@ForAll final XenbusState state)
    {
        return XenbusState.parse(state.text()) == state;
    }
}
