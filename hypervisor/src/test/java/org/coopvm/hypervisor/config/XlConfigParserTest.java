package org.coopvm.hypervisor.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XlConfigParserTest
{
    @Test
    void readsStringsIntegersListsAndLineNumbers()
    {
        final Map<String, Setting> settings = XlConfigParser.parse("""

            # comment line
            a = "x # not a comment"
            b = -12   # trailing comment
            c = [
              'p', 3,
              "q"
            ]
            d = []
            """, "t.cfg");

        assertThat(settings.get("a")).isEqualTo(new Setting("a", "x # not a comment", "t.cfg", 3));
        assertThat(settings.get("b").value()).isEqualTo(-12L);
        assertThat(settings.get("c")).isEqualTo(new Setting("c", List.of("p", 3L, "q"), "t.cfg", 5));
        assertThat(settings.get("d").value()).isEqualTo(List.of());
        assertThat(settings.keySet()).containsExactly("a", "b", "c", "d");
    }

    @Test
    void crlfLineEndingsAreAccepted()
    {
        assertThat(XlConfigParser.parse("a = 1\r\nb = 'x'\r\n", "t.cfg").get("b").line()).isEqualTo(2);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a 1                 | 1 | expected '=' after key 'a'",
        "a = \"open          | 1 | string for 'a' is not closed",
        "x = 1\\na = [\"p\", | 2 | list for 'a' is not closed",
        "a = yes             | 1 | must be a quoted string, an integer or a [list], found 'yes'",
        "a = 1 2             | 1 | unexpected '2' after the value of 'a'",
        "a = 12abc           | 1 | not an integer: '12abc'",
        "a = [[1]]           | 1 | lists inside lists",
        "a = [1 2]           | 1 | expected ',' or ']'",
        "a =                 | 1 | missing value for 'a'",
        "x = 1\\nx = 2       | 2 | 'x' is set twice (first on line 1)",
        "= 3                 | 1 | expected a key, found '='",
    })
    void syntaxErrorsNameTheLineAndTheProblem(final String text, final int line, final String message)
    {
        assertThatThrownBy(() -> XlConfigParser.parse(text.replace("\\n", "\n"), "t.cfg"))
            .isInstanceOf(ConfigException.class)
            .hasMessageStartingWith("t.cfg:" + line + ": ")
            .hasMessageContaining(message);
    }

    @Test
    void overridesTakeNumbersQuotedStringsListsAndBareWords()
    {
        assertThat(XlConfigParser.parseOverride("pool_mib", "512").value()).isEqualTo(512L);
        assertThat(XlConfigParser.parseOverride("trace_level", "off").value()).isEqualTo("off");
        assertThat(XlConfigParser.parseOverride("run_dir", "'/tmp/a b'").value()).isEqualTo("/tmp/a b");
        assertThat(XlConfigParser.parseOverride("l", "[\"a\", 1]").value()).isEqualTo(List.of("a", 1L));
        assertThat(XlConfigParser.parseOverride("k", "1").line()).isZero();
    }
}
