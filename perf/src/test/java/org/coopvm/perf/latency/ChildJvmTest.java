package org.coopvm.perf.latency;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ChildJvmTest
{
    @Test
    void childRunsWithTheSameJavaAndTheProjectFlagsFileNamedByTheProperty()
    {
        final ChildJvm jvm = ChildJvm.likeThisJvm();

        assertThat(jvm.java()).startsWith(Path.of(System.getProperty("java.home")));
        assertThat(jvm.jvmOptionsFile()).contains(Path.of(System.getProperty(ChildJvm.JVM_OPTIONS_FILE_PROPERTY)));
    }

    @Test
    void commandPutsTheArgfileBeforeTheClassPathAndMainClass()
    {
        final ChildJvm jvm = new ChildJvm(Path.of("/jdk/bin/java"), Optional.of(Path.of("/repo/jvm.options")), "a.jar:b.jar");

        assertThat(jvm.command(RoundTripResponderMain.class, List.of("x", "y"))).containsExactly(
            "/jdk/bin/java", "@/repo/jvm.options", "-cp", "a.jar:b.jar", RoundTripResponderMain.class.getName(), "x", "y");
    }
}
