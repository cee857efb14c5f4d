package org.coopvm.perf.latency;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start a second JVM like this one: same {@code java}, same JVM flags file
 * ({@code jvm.options}), same class path. Immutable; any thread.
 *
 * @param java           the {@code java} executable.
 * @param jvmOptionsFile the {@code @argfile} with the project's JVM flags, if found.
 * @param classPath      the class path.
 */
public record ChildJvm(Path java, Optional<Path> jvmOptionsFile, String classPath)
{
    /** System property naming the JVM flags file; Surefire and {@code ./coop} set it. */
    public static final String JVM_OPTIONS_FILE_PROPERTY = "coop.jvm.options.file";

    /** Checks every part is present. */
    public ChildJvm
    {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(jvmOptionsFile, "jvmOptionsFile");
        Objects.requireNonNull(classPath, "classPath");
    }

    /**
     * @return a description of this JVM: {@code java.home}'s {@code java}, the flags file from
     *         {@value #JVM_OPTIONS_FILE_PROPERTY} or else {@code ./jvm.options} when it exists, and
     *         {@code java.class.path}.
     */
    public static ChildJvm likeThisJvm()
    {
        final Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ChildJvm(java, findJvmOptionsFile(), System.getProperty("java.class.path"));
    }

    /**
     * @param mainClass the class whose {@code main} to run.
     * @param args      its arguments.
     * @return the full command line.
     */
    public List<String> command(final Class<?> mainClass, final List<String> args)
    {
        final List<String> command = new ArrayList<>();
        command.add(java.toString());
        jvmOptionsFile.ifPresent(file -> command.add("@" + file));
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass.getName());
        command.addAll(args);
        return command;
    }

    private static Optional<Path> findJvmOptionsFile()
    {
        final String property = System.getProperty(JVM_OPTIONS_FILE_PROPERTY);
        if (property != null && !property.isBlank())
        {
            return Optional.of(Path.of(property));
        }
        final Path local = Path.of("jvm.options");
        return Files.isRegularFile(local) ? Optional.of(local.toAbsolutePath()) : Optional.empty();
    }
}
