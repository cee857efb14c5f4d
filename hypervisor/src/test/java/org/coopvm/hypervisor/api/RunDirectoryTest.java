package org.coopvm.hypervisor.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunDirectoryTest
{
    @TempDir
    private Path tmp;

    @Test
    void aSecondHostInTheSameDirectoryIsRefusedWhileTheFirstHoldsIt()
    {
        final RunDirectory first = new RunDirectory(tmp.resolve("run"));
        final RunDirectory second = new RunDirectory(tmp.resolve("run"));
        first.claim();
        first.writeHostEndpoint(new HostEndpoint(ProcessHandle.current().pid(), 1234, first.root().toString(), 0));

        assertThatThrownBy(second::claim).isInstanceOf(HostControlException.class)
            .hasMessageContaining("already running at " + first.root() + " (pid " + ProcessHandle.current().pid() + ", port 1234)")
            .extracting(ex -> ((HostControlException)ex).errno()).isEqualTo(Errno.EBUSY);
        assertThatThrownBy(second::checkFree).hasMessageContaining("already running");
        assertThat(second.isClaimed()).isTrue();

        first.remove();

        assertThat(second.isClaimed()).isFalse();
        second.claim();
        second.remove();
    }

    @Test
    void aDeadHostsFilesAreClearedAndClientsAreToldItIsGone() throws Exception
    {
        final RunDirectory dir = new RunDirectory(tmp.resolve("run"));
        dir.create();
        final Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        dir.writeHostEndpoint(new HostEndpoint(gone.pid(), 1234, dir.root().toString(), 0));
        dir.writeNewToken();

        assertThatThrownBy(() -> ManagementClient.connect(dir.root())).isInstanceOf(NoHostRunningException.class)
            .hasMessageContaining("host.json names pid " + gone.pid() + ", which is gone");
        dir.claim();
        assertThat(dir.hostJson()).doesNotExist();
        assertThat(dir.tokenFile()).doesNotExist();
    }

    @Test
    void foreignFilesAreNeverAdoptedNorDeleted() throws Exception
    {
        final RunDirectory dir = new RunDirectory(tmp);
        Files.writeString(tmp.resolve("thesis.tex"), "precious");
        Files.createDirectories(tmp.resolve("dom3/grants"));
        Files.writeString(tmp.resolve("host.log"), "log");
        Files.writeString(tmp.resolve("usage"), "page");

        assertThatThrownBy(dir::create).hasMessageContaining("holds files CoopVM did not make [thesis.tex]");
        assertThat(dir.remove()).containsExactly("thesis.tex");
        assertThat(tmp.resolve("thesis.tex")).hasContent("precious");
        assertThat(tmp.resolve("dom3")).doesNotExist();
        assertThat(tmp.resolve("host.log")).doesNotExist();
        assertThat(tmp.resolve("usage")).as("the usage page is ours").doesNotExist();
    }

    @Test
    void removeDeletesTheWholeRunDirectoryWhenAllIsOurs() throws Exception
    {
        final RunDirectory dir = new RunDirectory(tmp.resolve("run"));
        dir.create();
        dir.writeNewToken();
        Files.createDirectories(dir.root().resolve("trace"));
        Files.writeString(dir.root().resolve("trace/q.cq4"), "x");

        assertThat(dir.remove()).isEmpty();
        assertThat(dir.root()).doesNotExist();
    }
}
