package org.coopvm.hypervisor.xenstore;

import org.coopvm.hypervisor.Hypervisor;
import org.coopvm.hypervisor.HypervisorConfig;
import org.coopvm.hypervisor.domain.Domain;
import org.coopvm.hypervisor.domain.DomainSpec;
import org.coopvm.rings.testing.ShmDirectory;
import org.coopvm.rings.xenstore.XsMessageType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hypervisor keeps xenstore in step with domains: a guest's home appears with its name,
 * readable by it and nobody else, and goes (with the guest's watches) when it is destroyed.
 */
class XenstoreDomainsTest
{
    private final ShmDirectory run = new ShmDirectory();
    private final Hypervisor hypervisor = new Hypervisor(HypervisorConfig.defaults(run.path()));

    @AfterEach
    void close()
    {
        hypervisor.close();
        run.close();
    }

    @Test
    void createWritesTheHomeAndDestroyRemovesItAndReleases()
    {
        final Xenstored xenstored = hypervisor.xenstored();
        final XsProbe dom0 = new XsProbe(xenstored, 0);
        dom0.text(XsMessageType.WATCH, 0, "@introduceDomain", "in");
        dom0.text(XsMessageType.WATCH, 0, "@releaseDomain", "out");
        dom0.events();
        final Domain web = hypervisor.createDomain(new DomainSpec("web", 1, 4096, 4096, 0, false, "idle", Map.of(), 4, 65536, 16384));
        final Domain db = hypervisor.createDomain(new DomainSpec("db", 1, 4096, 4096, 0, false, "idle", Map.of(), 4, 65536, 16384));
        final XsProbe webGuest = new XsProbe(xenstored, web.domid());
        assertThat(webGuest.read("name")).isEqualTo("web");
        assertThat(webGuest.read("domid")).isEqualTo(Integer.toString(web.domid()));
        assertThat(webGuest.read("/local/domain/" + db.domid() + "/name")).isEqualTo("ERR:EACCES");
        assertThat(webGuest.write("name", "evil")).isEqualTo("ERR:EACCES");
        assertThat(dom0.call(XsMessageType.DIRECTORY, 0, "/local/domain").strings())
            .containsExactly(Integer.toString(web.domid()), Integer.toString(db.domid()));
        webGuest.text(XsMessageType.WATCH, 0, "name", "w");

        hypervisor.destroyDomain(web.domid());

        assertThat(dom0.read("/local/domain/" + web.domid() + "/name")).isEqualTo("ERR:ENOENT");
        assertThat(dom0.read("/local/domain/" + db.domid() + "/name")).isEqualTo("db");
        assertThat(webGuest.session.open()).as("the destroyed guest's session and watches are gone").isFalse();
        assertThat(dom0.events()).containsExactly("@introduceDomain|in", "@introduceDomain|in", "@releaseDomain|out");
    }

    @Test
    void startedHostServesTheSocketInTheRunDirectory()
    {
        hypervisor.start();
        assertThat(Files.exists(run.path().resolve("xenstored.sock"))).isTrue();
        hypervisor.close();
        assertThat(Files.exists(run.path().resolve("xenstored.sock"))).isFalse();
    }

    @Test
    void aGuestReadsItsNodesAndWritesOnlyWhereLinuxGuestsWrite()
    {
        final Xenstored xenstored = hypervisor.xenstored();
        final Domain web = hypervisor.createDomain(new DomainSpec("web", 2, 4096, 8192, 1024, false, "idle", Map.of(), 4, 65536, 16384)
            .withDeflateOnPressure(true).withCoopPolicy("memory-cooperative", Map.of("low_water", "0.1")));
        final Domain db = hypervisor.createDomain(new DomainSpec("db", 1, 4096, 4096, 0, false, "idle", Map.of(), 4, 65536, 16384));
        final XsProbe guest = new XsProbe(xenstored, web.domid());
        final XsProbe dbGuest = new XsProbe(xenstored, db.domid());
        final String other = "/local/domain/" + db.domid();

        assertThat(guest.read("memory/target")).isEqualTo("4096");
        assertThat(guest.read("memory/static-max")).isEqualTo("8192");
        assertThat(guest.read("memory/minmem")).isEqualTo("1024");
        assertThat(guest.read("memory/deflate-on-pressure")).isEqualTo("1");
        assertThat(guest.read("cooperation/policy")).isEqualTo("memory-cooperative");
        assertThat(guest.read("cooperation/args/low_water")).isEqualTo("0.1");
        assertThat(guest.write("cooperation/policy", "greedy")).as("dom0 chooses the policy").isEqualTo("ERR:EACCES");
        assertThat(dbGuest.read("cooperation/policy")).as("no policy, no node").isEqualTo("ERR:ENOENT");
        assertThat(dbGuest.read("memory/minmem")).as("no minmem, no node").isEqualTo("ERR:ENOENT");
        assertThat(dbGuest.read("memory/deflate-on-pressure")).as("not negotiated").isEqualTo("ERR:ENOENT");
        assertThat(guest.write("memory/minmem", "0")).isEqualTo("ERR:EACCES");
        assertThat(guest.write("memory/deflate-on-pressure", "0")).isEqualTo("ERR:EACCES");
        assertThat(guest.read("cpu/1/availability")).isEqualTo("online");
        assertThat(guest.read("control/shutdown")).isEmpty();
        assertThat(guest.write("control/shutdown", "")).doesNotStartWith("ERR");
        assertThat(guest.write("control/feature-poweroff", "1")).doesNotStartWith("ERR");
        assertThat(guest.write("device/vif/0/state", "1")).doesNotStartWith("ERR");
        assertThat(guest.write("data/cache/hit-ratio", "0.9")).doesNotStartWith("ERR");
        assertThat(guest.write("memory/target", "1")).isEqualTo("ERR:EACCES");
        assertThat(guest.write("cpu/0/availability", "offline")).isEqualTo("ERR:EACCES");
        assertThat(guest.read(other + "/control/shutdown")).isEqualTo("ERR:EACCES");
        assertThat(guest.write(other + "/control/shutdown", "poweroff")).isEqualTo("ERR:EACCES");
        assertThat(guest.write(other + "/device/x", "1")).isEqualTo("ERR:EACCES");
        assertThat(guest.write(other + "/data/x", "1")).isEqualTo("ERR:EACCES");
        assertThat(guest.read(other + "/data")).isEqualTo("ERR:EACCES");

        hypervisor.destroyDomain(web.domid());

        assertThat(new XsProbe(xenstored, 0).read("/local/domain/" + web.domid() + "/device/vif/0/state")).isEqualTo("ERR:ENOENT");
    }
}
