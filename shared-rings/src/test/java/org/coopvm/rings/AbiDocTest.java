package org.coopvm.rings;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/abi.md and the {@code *Descriptor} classes must say the same thing: every table row
 * that names a constant has that constant's value as its offset, and every {@code *_OFFSET}
 * constant of a documented descriptor appears in its table.
 */
class AbiDocTest
{
    private static final Pattern DESCRIPTOR = Pattern.compile("^Descriptor: `([\\w.]+)`");
    private static final Pattern ROW = Pattern.compile("^\\|\\s*(\\d+)\\s*\\|[^|]*\\|[^|]*\\|\\s*`(\\w+)`\\s*\\|");

    @TestFactory
    List<DynamicTest> everyDocumentedDescriptorMatchesItsClass() throws IOException
    {
        final Map<String, Map<String, Integer>> documented = parse(abiDoc());
        assertThat(documented).as("descriptors documented in docs/abi.md").isNotEmpty();
        final List<DynamicTest> tests = new ArrayList<>();
        documented.forEach((className, rows) ->
            tests.add(DynamicTest.dynamicTest(className, () -> assertAgree(className, rows))));
        return tests;
    }

    private static void assertAgree(final String className, final Map<String, Integer> documented) throws Exception
    {
        final Map<String, Integer> declared = offsetConstants(Class.forName(className));
        for (final Map.Entry<String, Integer> row : documented.entrySet())
        {
            final Field field = Class.forName(className).getField(row.getKey());
            assertThat(field.getInt(null)).as("%s.%s in docs/abi.md", className, row.getKey()).isEqualTo(row.getValue());
        }
        assertThat(documented.keySet()).as("%s: *_OFFSET constants missing from docs/abi.md", className)
            .containsAll(declared.keySet());
    }

    private static Map<String, Integer> offsetConstants(final Class<?> type) throws IllegalAccessException
    {
        final Map<String, Integer> constants = new TreeMap<>();
        for (final Field field : type.getFields())
        {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == int.class && field.getName().endsWith("_OFFSET"))
            {
                constants.put(field.getName(), field.getInt(null));
            }
        }
        return constants;
    }

    private static Map<String, Map<String, Integer>> parse(final List<String> lines)
    {
        final Map<String, Map<String, Integer>> descriptors = new LinkedHashMap<>();
        Map<String, Integer> current = null;
        for (final String line : lines)
        {
            final Matcher descriptor = DESCRIPTOR.matcher(line);
            if (descriptor.find())
            {
                current = descriptors.computeIfAbsent(descriptor.group(1), ignore -> new LinkedHashMap<>());
                continue;
            }
            final Matcher row = ROW.matcher(line);
            if (current != null && row.find())
            {
                current.put(row.group(2), Integer.parseInt(row.group(1)));
            }
        }
        return descriptors;
    }

    private static List<String> abiDoc() throws IOException
    {
        final String root = System.getProperty("coop.repo.root", "..");
        return Files.readAllLines(Path.of(root, "docs", "abi.md"));
    }
}
