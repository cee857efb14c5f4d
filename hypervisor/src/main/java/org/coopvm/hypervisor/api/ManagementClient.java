package org.coopvm.hypervisor.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Calls a running host's management API. {@link #connect} finds the host through its run
 * directory ({@code host.json} for the port, {@code api.token} for the token); every call
 * returns the answer or throws a {@link HostControlException} with the server's code and
 * message, or {@link NoHostRunningException} if the host is gone.
 *
 * <p>Thread safety: calls may be made from any thread; close it when done.
 */
public final class ManagementClient implements AutoCloseable
{
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(120);

    private final HttpClient http;
    private final ObjectMapper json;
    private final URI base;
    private final String token;
    private final Path runDir;
    private final HostEndpoint endpoint;

    private ManagementClient(final HostEndpoint endpoint, final String token, final Path runDir)
    {
        this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
        this.json = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        this.base = URI.create("http://127.0.0.1:" + endpoint.port());
        this.token = token;
        this.runDir = runDir;
        this.endpoint = endpoint;
    }

    /**
     * @param runDir the host's run directory.
     * @return a client for the host running there.
     * @throws NoHostRunningException if there is no {@code host.json} or its process is gone.
     */
    public static ManagementClient connect(final Path runDir)
    {
        final RunDirectory dir = new RunDirectory(runDir);
        final HostEndpoint endpoint = dir.readHostEndpoint()
            .orElseThrow(() -> new NoHostRunningException(dir.root(), ""));
        if (dir.liveHost().isEmpty())
        {
            throw new NoHostRunningException(dir.root(), "host.json names pid " + endpoint.pid() + ", which is gone");
        }
        return new ManagementClient(endpoint, dir.readToken(), dir.root());
    }

    /**
     * @return what {@code host.json} said.
     */
    public HostEndpoint endpoint()
    {
        return endpoint;
    }

    /**
     * @return every domain.
     */
    public List<DomainInfo> list()
    {
        return call("GET", "/v1/domains", null, new TypeReference<>()
        {
        });
    }

    /**
     * Send a domain config for the host to parse and create; config errors come back with the
     * file name and line.
     *
     * @param configText the xl.cfg-style text.
     * @param source     the file name, quoted in error messages.
     * @return the new domain.
     */
    public DomainInfo create(final String configText, final String source)
    {
        final HttpRequest request = request("/v1/domains")
            .header(ManagementServer.CONFIG_SOURCE_HEADER, source.replaceAll("[^\\x20-\\x7e]", "?"))
            .header("Content-Type", "text/plain; charset=utf-8")
            .POST(HttpRequest.BodyPublishers.ofString(configText, StandardCharsets.UTF_8))
            .build();
        return decode(send(request), new TypeReference<>()
        {
        });
    }

    /**
     * @param domain a name or domid.
     * @return the domain.
     */
    public DomainInfo info(final String domain)
    {
        return call("GET", domainPath(domain), null, new TypeReference<>()
        {
        });
    }

    /**
     * @param domain a name or domid to pause.
     */
    public void pause(final String domain)
    {
        post(domainPath(domain) + "/pause", null);
    }

    /**
     * @param domain a name or domid to unpause.
     */
    public void unpause(final String domain)
    {
        post(domainPath(domain) + "/unpause", null);
    }

    /**
     * @param domain a name or domid.
     * @param reason what to tell the guest.
     * @param force  shut it down in the hypervisor at once instead of asking the guest.
     */
    public void shutdown(final String domain, final ShutdownReason reason, final boolean force)
    {
        post(domainPath(domain) + "/shutdown", Map.of("reason", reason.name(), "force", force));
    }

    /**
     * @param domain a name or domid to reboot.
     */
    public void reboot(final String domain)
    {
        post(domainPath(domain) + "/reboot", null);
    }

    /**
     * @param domain a name or domid to destroy.
     */
    public void destroy(final String domain)
    {
        post(domainPath(domain) + "/destroy", null);
    }

    /**
     * Type on a domain's console.
     *
     * @param domain a name or domid.
     * @param bytes  what was typed (at most {@link ManagementServer#MAX_BODY_BYTES}).
     */
    public void consoleInput(final String domain, final byte[] bytes)
    {
        send(request(domainPath(domain) + "/console")
            .header("Content-Type", "application/octet-stream")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
            .build());
    }

    /**
     * @param domain a name or domid, or null for all domains.
     * @return the vCPUs.
     */
    public List<VcpuInfo> vcpus(final String domain)
    {
        final String path = "/v1/vcpus" + domainQuery(domain);
        return call("GET", path, null, new TypeReference<>()
        {
        });
    }

    /**
     * @param domain    a name or domid.
     * @param targetKib its new balloon target ({@code memory/target}), KiB.
     */
    public void memSet(final String domain, final long targetKib)
    {
        post(domainPath(domain) + "/mem-set", new MemoryRequest(targetKib));
    }

    /**
     * @param domain a name or domid.
     * @param maxKib its new maximum memory, KiB.
     */
    public void memMax(final String domain, final long maxKib)
    {
        post(domainPath(domain) + "/mem-max", new MemoryRequest(maxKib));
    }

    /**
     * @return the balloon policy the host runs and each domain's last decision.
     */
    public BalloonPolicyInfo balloonPolicy()
    {
        return call("GET", "/v1/balloon/policy", null, new TypeReference<>()
        {
        });
    }

    /**
     * @param name      a policy, or {@link BalloonPolicyInfo#NONE}.
     * @param arguments its {@code key=value} parameters.
     * @return the policy as it now runs.
     */
    public BalloonPolicyInfo setBalloonPolicy(final String name, final List<String> arguments)
    {
        return call("PUT", "/v1/balloon/policy", new PolicyRequest(name, arguments), new TypeReference<>()
        {
        });
    }

    /**
     * @param domain a name or domid, or null for all.
     * @return the policy engine's recent decisions.
     */
    public List<BalloonDecisionInfo> balloonDecisions(final String domain)
    {
        return call("GET", "/v1/balloon/decisions" + domainQuery(domain), null, new TypeReference<>()
        {
        });
    }

    /**
     * @param domain a name or domid, or null for all.
     * @return the recent convergence reports.
     */
    public List<ConvergenceReport> balloonReports(final String domain)
    {
        return call("GET", "/v1/balloon/reports" + domainQuery(domain), null, new TypeReference<>()
        {
        });
    }

    /**
     * @param domain a name or domid, or null for all.
     * @return the CPU scheduler's settings and the domains' parameters.
     */
    public SchedInfo sched(final String domain)
    {
        return call("GET", "/v1/sched" + domainQuery(domain), null, new TypeReference<>()
        {
        });
    }

    /**
     * @param domain a name or domid.
     * @param change the weight, cap or slice to change (null fields stay).
     * @return the domain's parameters now.
     */
    public SchedDomainInfo setSched(final String domain, final SchedDomainRequest change)
    {
        return call("POST", domainPath(domain) + "/sched-credit", change, new TypeReference<>()
        {
        });
    }

    /**
     * @param change the host's slice or rate limit to change (null fields stay).
     * @return the settings now.
     */
    public SchedHostInfo setSchedHost(final SchedHostRequest change)
    {
        return call("PUT", "/v1/sched", change, new TypeReference<>()
        {
        });
    }

    /**
     * @return the host's summary.
     */
    public HostInfo hostInfo()
    {
        return call("GET", "/v1/host", null, new TypeReference<>()
        {
        });
    }

    /**
     * Ask the host to destroy every guest and exit; returns once the guests are gone (the host
     * process may still be exiting).
     */
    public void stopHost()
    {
        post("/v1/host/stop", null);
    }

    /**
     * @return the Prometheus scrape text from {@code /metrics}.
     */
    public String metrics()
    {
        return send(HttpRequest.newBuilder(base.resolve("/metrics")).timeout(CALL_TIMEOUT).GET().build());
    }

    @Override
    public void close()
    {
        http.close();
    }

    private void post(final String path, final Object body)
    {
        call("POST", path, body, null);
    }

    private <T> T call(final String method, final String path, final Object body, final TypeReference<T> type)
    {
        final HttpRequest.BodyPublisher publisher = body == null ?
            HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(toJson(body));
        final String answer = send(request(path).header("Content-Type", "application/json").method(method, publisher).build());
        return type == null ? null : decode(answer, type);
    }

    private HttpRequest.Builder request(final String path)
    {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(CALL_TIMEOUT).header("Authorization", "Bearer " + token);
    }

    private String send(final HttpRequest request)
    {
        final HttpResponse<String> response;
        try
        {
            response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        }
        catch (final ConnectException ex)
        {
            throw new NoHostRunningException(runDir, "nothing listens on port " + base.getPort());
        }
        catch (final IOException ex)
        {
            throw new HostControlException(Errno.EIO, "management API call " + request.uri().getPath() + " failed: " + ex, ex);
        }
        catch (final InterruptedException ex)
        {
            Thread.currentThread().interrupt();
            throw new HostControlException(Errno.EIO, "interrupted while calling the management API", ex);
        }
        if (response.statusCode() >= 400)
        {
            throw error(response);
        }
        return response.body();
    }

    private HostControlException error(final HttpResponse<String> response)
    {
        try
        {
            final ApiError error = json.readValue(response.body(), ApiError.class);
            return new HostControlException(Errno.fromName(error.error()), error.message());
        }
        catch (final JacksonException | IllegalArgumentException ex)
        {
            return new HostControlException(Errno.EIO, "management API answered HTTP " + response.statusCode() +
                " without an error body: " + response.body());
        }
    }

    private <T> T decode(final String body, final TypeReference<T> type)
    {
        try
        {
            return json.readValue(body, type);
        }
        catch (final JacksonException ex)
        {
            throw new HostControlException(Errno.EIO, "management API answer is not what this client expects: " +
                ex.getOriginalMessage(), ex);
        }
    }

    private byte[] toJson(final Object body)
    {
        try
        {
            return json.writeValueAsBytes(body);
        }
        catch (final JacksonException ex)
        {
            throw new IllegalStateException("cannot encode " + body, ex);
        }
    }

    private static String domainQuery(final String domain)
    {
        return domain == null ? "" : "?domain=" + encode(domain);
    }

    private static String domainPath(final String domain)
    {
        return "/v1/domains/" + encode(domain);
    }

    private static String encode(final String text)
    {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
