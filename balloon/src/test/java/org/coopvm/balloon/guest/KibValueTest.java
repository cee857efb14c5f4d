package org.coopvm.balloon.guest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KibValueTest
{
    @Test
    void decimalKibCountsParseUpToTheLargestSigned64BitValue()
    {
        assertThat(KibValue.parse("1048576")).isEqualTo(new KibValue(1_048_576, KibRejection.NONE));
        assertThat(KibValue.parse("0").kib()).isZero();
        assertThat(KibValue.parse("007").kib()).isEqualTo(7);
        assertThat(KibValue.parse(Long.toString(Long.MAX_VALUE)).kib()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void everythingElseIsRejectedWithATypedReason()
    {
        assertThat(KibValue.parse("9223372036854775808").rejection()).isEqualTo(KibRejection.OVERFLOW);
        assertThat(KibValue.parse("-1").rejection()).isEqualTo(KibRejection.NEGATIVE);
        assertThat(KibValue.parse("-").rejection()).isEqualTo(KibRejection.NOT_A_NUMBER);
        assertThat(KibValue.parse("+1").rejection()).isEqualTo(KibRejection.NOT_A_NUMBER);
        assertThat(KibValue.parse(" 1").rejection()).isEqualTo(KibRejection.NOT_A_NUMBER);
        assertThat(KibValue.parse("1\n").rejection()).isEqualTo(KibRejection.NOT_A_NUMBER);
        assertThat(KibValue.parse("0x10").rejection()).isEqualTo(KibRejection.NOT_A_NUMBER);
        assertThat(KibValue.parse("").rejection()).isEqualTo(KibRejection.EMPTY);
        assertThat(KibValue.parse(null).isValid()).isFalse();
    }
}
