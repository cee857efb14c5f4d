package org.coopvm.hypervisor.api;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.coopvm.hypervisor.config.Isolation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManagementServerTest
{
    private static final String CFG = """
        name = "web"
        memory = 64
        vcpus = 2
        workload = "idle"
        isolation = "in-process"
        """;

    @TempDir
    private Path tmp;

    private Path runDir;
    private InMemoryHostControl control;
    private PrometheusMeterRegistry registry;
    private ManagementServer server;
    private ManagementClient client;
    private HttpClient http;
    private final AtomicBoolean afterStopRan = new AtomicBoolean();

    @BeforeEach
    void startServer()
    {
        runDir = tmp.resolve("run");
        control = new InMemoryHostControl(256, runDir.toString());
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        server = ManagementServer.start(control, new RunDirectory(runDir), 0, registry, () -> afterStopRan.set(true));
        client = ManagementClient.connect(runDir);
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stopServer()
    {
        http.close();
        client.close();
        server.close();
        registry.close();
    }

    @Test
    void tokenIsOwnerOnlyRandomHexAndHostJsonSaysWhereTheApiIs() throws Exception
    {
        final Path token = runDir.resolve(RunDirectory.API_TOKEN);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runDir))).isEqualTo("rwx------");
        assertThat(Files.readString(token)).matches("[0-9a-f]{64}");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(runDir.resolve("host.json")))).isEqualTo("rw-------");
        assertThat(client.endpoint().pid()).isEqualTo(ProcessHandle.current().pid());
        assertThat(client.endpoint().port()).isEqualTo(server.port());
        assertThat(client.endpoint().runDir()).isEqualTo(runDir.toString());
    }

    @Test
    void aPortInUseIsANamedErrorAndLeavesTheDirectoryFree()
    {
        final Path other = tmp.resolve("other");

        assertThatThrownBy(() -> ManagementServer.start(control, new RunDirectory(other), server.port(), registry, () ->
        {
        })).isInstanceOf(HostControlException.class).hasMessageContaining("cannot listen on 127.0.0.1:" + server.port());
        assertThat(new RunDirectory(other).isClaimed()).isFalse();
        assertThat(other.resolve("api.token")).doesNotExist();
    }

    @Test
    void listensOnLoopbackOnly()
    {
        assertThat(server.address().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void errnoCodesTravelUnderTheirHttpStatus()
    {
        assertThat(Errno.ENOENT.httpStatus()).isEqualTo(404);
        assertThat(Errno.EEXIST.httpStatus()).isEqualTo(409);
        assertThat(Errno.EINVAL.httpStatus()).isEqualTo(400);
        assertThat(Errno.ENOMEM.httpStatus()).isEqualTo(507);
        assertThat(Errno.EBUSY.httpStatus()).isEqualTo(409);
        assertThat(Errno.fromName("ESOMETHINGNEW")).isEqualTo(Errno.EIO);
    }

    @Test
    void balloonRoutesNeedTheirBodyAndAHostWithoutBalloonSaysSo() throws Exception
    {
        client.create(CFG, "web.cfg");

        assertThat(status("POST", "/v1/domains/web/mem-set", "")).as("no body").isEqualTo(400);
        assertThat(authorized("PUT", "/v1/balloon/policy", "{}").body()).contains("balloon policy needs a name");
        assertThat(status("GET", "/v1/balloon/policy", "")).isEqualTo(404);
        assertThatThrownBy(() -> client.memSet("web", 8192)).isInstanceOfSatisfying(HostControlException.class,
            ex -> assertThat(ex.errno()).isEqualTo(Errno.ENOSYS)).hasMessage("this host has no balloon support");
        assertThatThrownBy(() -> client.balloonReports(null)).hasMessage("this host has no balloon support");
        assertThatThrownBy(() -> client.setBalloonPolicy("mom", List.of())).hasMessage("this host has no balloon policy engine");
    }

    @Test
    void callsWithoutOrWithAWrongTokenAreRefused() throws Exception
    {
        final HttpResponse<String> none = raw(HttpRequest.newBuilder(uri("/v1/domains")).GET());
        final HttpResponse<String> wrong = raw(HttpRequest.newBuilder(uri("/v1/domains")).header("Authorization", "Bearer " + "0".repeat(64)).GET());
        final HttpResponse<String> shortToken = raw(HttpRequest.newBuilder(uri("/v1/host/stop")).header("Authorization", "Bearer x")
            .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).contains("\"error\":\"EACCES\"", "missing API token");
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("wrong API token");
        assertThat(shortToken.statusCode()).isEqualTo(401);
        assertThat(control.stopped()).isFalse();
    }

    @Test
    void domainLifecycleThroughEveryRoute()
    {
        final DomainInfo created = client.create(CFG, "web.cfg");
        assertThat(created).isEqualTo(new DomainInfo(1, "web", DomainState.RUNNING, null, 2, 64 * 1024, 64 * 1024,
            0, 64L * 1024 * 1024, Isolation.IN_PROCESS, -1, 1_500_000_000L, 10, null));
        assertThat(client.list()).containsExactly(created);
        assertThat(client.info("1")).isEqualTo(client.info("web"));

        client.pause("web");
        assertThat(client.info("web").state()).isEqualTo(DomainState.PAUSED);
        assertThat(client.vcpus("web")).extracting(VcpuInfo::state).containsOnly(VcpuState.OFFLINE).hasSize(2);
        client.unpause("1");
        assertThat(client.vcpus(null)).extracting(VcpuInfo::vcpu).containsExactly(0, 1);

        client.shutdown("web", ShutdownReason.CRASH, true);
        assertThat(client.info("web").shutdownReason()).isEqualTo(ShutdownReason.CRASH);
        assertThat(control.forcedShutdowns()).isEqualTo(1);
        client.destroy("web");
        client.create(CFG, "web.cfg");
        client.reboot("web");
        assertThat(client.info("web").shutdownReason()).isEqualTo(ShutdownReason.REBOOT);

        final HostInfo host = client.hostInfo();
        assertThat(host.poolMib()).isEqualTo(256);
        assertThat(host.freeMib()).isEqualTo(192);
        assertThat(host.domains()).isEqualTo(1);
    }

    @Test
    void hostControlErrorsKeepTheirCodeAndMessage() throws Exception
    {
        client.create(CFG, "web.cfg");

        assertThatThrownBy(() -> client.info("nope")).isInstanceOf(HostControlException.class)
            .hasMessage("no domain 'nope'").extracting(ex -> ((HostControlException)ex).errno()).isEqualTo(Errno.ENOENT);
        assertErrno(() -> client.create(CFG, "web.cfg"), Errno.EEXIST, "'web' is taken");
        assertErrno(() -> client.create(CFG.replace("web", "big").replace("64", "250"), "big.cfg"), Errno.ENOMEM, "needs 250 MiB");
        assertErrno(() -> client.unpause("web"), Errno.EINVAL, "is RUNNING, not PAUSED");
        assertThat(status("GET", "/v1/domains/nope", "")).isEqualTo(404);
        assertThat(status("POST", "/v1/domains", CFG)).isEqualTo(409);
        assertThat(status("POST", "/v1/domains", CFG.replace("web", "big").replace("64", "250"))).isEqualTo(507);
        assertThat(status("POST", "/v1/domains/web/unpause", "")).isEqualTo(400);
    }

    @Test
    void configErrorsComeBackWithFileLineAndKey()
    {
        assertErrno(() -> client.create(CFG + "vcpu = 3\n", "pingpong-a.cfg"), Errno.EINVAL,
            "pingpong-a.cfg:6: unknown key 'vcpu'");
        assertErrno(() -> client.create(CFG.replace("vcpus = 2", "vcpus = 99"), "a.cfg"), Errno.EINVAL,
            "a.cfg:3: vcpus = 99 is out of range 1..32");
    }

    @Test
    void badJsonAndUnknownReasonsAreBadRequests() throws Exception
    {
        client.create(CFG, "web.cfg");

        final HttpResponse<String> garbage = authorized("POST", "/v1/domains/web/shutdown", "{not json");
        final HttpResponse<String> unknownReason = authorized("POST", "/v1/domains/web/shutdown", "{\"reason\":\"nap\"}");
        final HttpResponse<String> unknownField = authorized("POST", "/v1/domains/web/shutdown", "{\"why\":\"poweroff\"}");

        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(garbage.body()).contains("\"error\":\"EINVAL\"", "not valid JSON");
        assertThat(unknownReason.statusCode()).isEqualTo(400);
        assertThat(unknownField.statusCode()).isEqualTo(400);
        assertThat(client.info("web").state()).isEqualTo(DomainState.RUNNING);
        assertThat(authorized("POST", "/v1/domains/web/shutdown", "").statusCode()).isEqualTo(204);
        assertThat(client.info("web").shutdownReason()).isEqualTo(ShutdownReason.POWEROFF);
    }

    @Test
    void bodiesOver64KiBAreRefusedWith413() throws Exception
    {
        final HttpResponse<String> response = authorized("POST", "/v1/domains", "#".repeat(ManagementServer.MAX_BODY_BYTES + 1));

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"error\":\"E2BIG\"", "larger than 65536 bytes");
        assertThat(client.list()).isEmpty();
    }

    @Test
    void unknownRoutesAndMethodsAreNamed() throws Exception
    {
        assertThat(authorized("GET", "/v1/nothing", "").body()).contains("ENOSYS", "no API route /v1/nothing");
        assertThat(authorized("DELETE", "/v1/domains", "").body()).contains("method DELETE is not allowed on /v1/domains");
    }

    @Test
    void metricsNeedNoTokenAndCountApiCalls() throws Exception
    {
        client.list();

        final HttpResponse<String> metrics = raw(HttpRequest.newBuilder(uri("/metrics")).GET());

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("coop_api_requests_seconds_count{method=\"GET\",route=\"/v1/domains\",status=\"200\"}");
        assertThat(client.metrics()).contains("coop_api_requests");
    }

    @Test
    void hostStopStopsTheHypervisorThenRunsTheAfterStopAction()
    {
        client.create(CFG, "web.cfg");

        client.stopHost();

        assertThat(control.stopped()).isTrue();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilTrue(afterStopRan);
    }

    @Test
    void closeRemovesTheEndpointFilesSoClientsSeeNoHost()
    {
        server.close();

        assertThat(runDir.resolve("host.json")).doesNotExist();
        assertThat(runDir.resolve("api.token")).doesNotExist();
        assertThat(new RunDirectory(runDir).isClaimed()).isFalse();
        assertThatThrownBy(() -> ManagementClient.connect(runDir)).isInstanceOf(NoHostRunningException.class)
            .hasMessage("no CoopVM host running at " + runDir + ": start one with ./coop host start");
    }

    private void assertErrno(final org.assertj.core.api.ThrowableAssert.ThrowingCallable call, final Errno errno, final String message)
    {
        assertThatThrownBy(call).isInstanceOf(HostControlException.class).hasMessageContaining(message)
            .extracting(ex -> ((HostControlException)ex).errno()).isEqualTo(errno);
    }

    private int status(final String method, final String path, final String body) throws Exception
    {
        return authorized(method, path, body).statusCode();
    }

    private HttpResponse<String> authorized(final String method, final String path, final String body) throws Exception
    {
        final String token = Files.readString(runDir.resolve(RunDirectory.API_TOKEN));
        return raw(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + token)
            .method(method, HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> raw(final HttpRequest.Builder request) throws Exception
    {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(final String path)
    {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }
}
