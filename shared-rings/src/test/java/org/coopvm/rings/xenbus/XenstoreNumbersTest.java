package org.coopvm.rings.xenbus;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class XenstoreNumbersTest
{
    @Test
    void digitsWithinTheLimitAreNumbersAndEverythingElseIsMinusOne()
    {
        assertThat(XenstoreNumbers.decimal("51712", Integer.MAX_VALUE)).isEqualTo(51712);
        assertThat(XenstoreNumbers.decimal(Optional.of("0"), 4)).isZero();
        assertThat(XenstoreNumbers.decimal(Optional.of("4"), 4)).isEqualTo(4);
        assertThat(XenstoreNumbers.decimal(Optional.of("5"), 4)).as("above the caller's limit").isEqualTo(-1);
        assertThat(XenstoreNumbers.decimal(Optional.empty(), 4)).as("missing").isEqualTo(-1);
        for (final String bad : new String[] {"", "-1", "+1", " 1", "1 ", "0x10", "1e3", "١٢", "9".repeat(19)})
        {
            assertThat(XenstoreNumbers.decimal(bad, Long.MAX_VALUE)).as("'%s'", bad).isEqualTo(-1);
        }
        assertThat(XenstoreNumbers.decimal("9".repeat(18), Long.MAX_VALUE)).isEqualTo(999_999_999_999_999_999L);
    }
}
