package org.coopvm.hypervisor.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.coopvm.hypervisor.config.DomainConfig;

import java.io.IOException;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The management API's route table: each route is a method, a path template and a small action
 * that calls {@link HostControl}.
 *
 * <p>Thread safety: immutable after construction; actions run on API handler threads.
 */
final class ApiRoutes
{
    /**
     * What a route does with a request.
     */
    @FunctionalInterface
    interface Action
    {
        ApiResponse handle(ApiRequest request) throws IOException;
    }

    /**
     * @param method   HTTP method.
     * @param template path with {@code {id}} for a path parameter; also the metrics tag.
     * @param pattern  the compiled template.
     * @param action   what it does.
     */
    record Route(String method, String template, Pattern pattern, Action action)
    {
        Matcher match(final String path)
        {
            return pattern.matcher(path);
        }
    }

    private final List<Route> routes;

    ApiRoutes(final HostControl control, final ObjectMapper json, final Runnable afterStop)
    {
        routes = List.of(
            route("GET", "/v1/domains", request -> ApiResponse.ok(control.list())),
            route("POST", "/v1/domains", request -> ApiResponse.created(
                control.create(DomainConfig.parse(request.bodyText(), request.configSource())))),
            route("GET", "/v1/domains/{id}", request -> ApiResponse.ok(control.info(request.id()))),
            action("pause", HostControl::pause, control),
            action("unpause", HostControl::unpause, control),
            action("reboot", HostControl::reboot, control),
            action("destroy", HostControl::destroy, control),
            route("POST", "/v1/domains/{id}/shutdown", request ->
            {
                final ShutdownRequest body = shutdownRequest(json, request);
                control.shutdown(request.id(), body.reason(), body.force());
                return ApiResponse.noContent();
            }),
            route("POST", "/v1/domains/{id}/console", request ->
            {
                control.consoleInput(request.id(), request.body());
                return ApiResponse.noContent();
            }),
            route("POST", "/v1/domains/{id}/mem-set", request ->
            {
                control.memSet(request.id(), memoryRequest(json, request, "mem-set").kib());
                return ApiResponse.noContent();
            }),
            route("POST", "/v1/domains/{id}/mem-max", request ->
            {
                control.memMax(request.id(), memoryRequest(json, request, "mem-max").kib());
                return ApiResponse.noContent();
            }),
            route("GET", "/v1/balloon/policy", request -> ApiResponse.ok(control.balloonPolicy())),
            route("PUT", "/v1/balloon/policy", request ->
            {
                final PolicyRequest body = body(json, request, PolicyRequest.class,
                    "balloon policy needs {\"name\": \"mom\", \"arguments\": [\"key=value\", ...]}");
                if (body.name() == null)
                {
                    throw new HostControlException(Errno.EINVAL, "balloon policy needs a name");
                }
                return ApiResponse.ok(control.setBalloonPolicy(body.name(), body.arguments()));
            }),
            route("GET", "/v1/balloon/decisions", request -> ApiResponse.ok(control.balloonDecisions(request.query("domain")))),
            route("GET", "/v1/balloon/reports", request -> ApiResponse.ok(control.balloonReports(request.query("domain")))),
            route("GET", "/v1/vcpus", request -> ApiResponse.ok(control.vcpus(request.query("domain")))),
            route("GET", "/v1/sched", request -> ApiResponse.ok(control.sched(request.query("domain")))),
            route("PUT", "/v1/sched", request -> ApiResponse.ok(control.setSchedHost(body(json, request, SchedHostRequest.class,
                "sched needs {\"tsliceMs\": N, \"ratelimitUs\": N} (either may be left out)")))),
            route("POST", "/v1/domains/{id}/sched-credit", request -> ApiResponse.ok(control.setSched(request.id(),
                body(json, request, SchedDomainRequest.class,
                    "sched-credit needs {\"weight\": N, \"capPercent\": N, \"sliceMs\": N} (any may be left out)")))),
            route("GET", "/v1/host", request -> ApiResponse.ok(control.hostInfo())),
            route("POST", "/v1/host/stop", request ->
            {
                control.stop();
                return new ApiResponse(202, null, afterStop);
            }));
    }

    List<Route> routes()
    {
        return routes;
    }

    private static ShutdownRequest shutdownRequest(final ObjectMapper json, final ApiRequest request) throws IOException
    {
        if (request.body().length == 0)
        {
            return new ShutdownRequest(ShutdownReason.POWEROFF, false);
        }
        final ShutdownRequest body = json.readValue(request.body(), ShutdownRequest.class);
        if (body == null || body.reason() == null)
        {
            throw new HostControlException(Errno.EINVAL, "shutdown needs {\"reason\": \"poweroff\"|\"reboot\"|..., \"force\": false}");
        }
        return body;
    }

    private static MemoryRequest memoryRequest(final ObjectMapper json, final ApiRequest request, final String what)
        throws IOException
    {
        return body(json, request, MemoryRequest.class, what + " needs {\"kib\": N}");
    }

    private static <T> T body(final ObjectMapper json, final ApiRequest request, final Class<T> type, final String usage)
        throws IOException
    {
        final T body = request.body().length == 0 ? null : json.readValue(request.body(), type);
        if (body == null)
        {
            throw new HostControlException(Errno.EINVAL, usage);
        }
        return body;
    }

    private static Route action(
        final String name, final BiConsumer<HostControl, String> operation, final HostControl control)
    {
        return route("POST", "/v1/domains/{id}/" + name, request ->
        {
            operation.accept(control, request.id());
            return ApiResponse.noContent();
        });
    }

    private static Route route(final String method, final String template, final Action action)
    {
        final Pattern pattern = Pattern.compile(template.replace("{id}", "([^/]+)"));
        return new Route(method, template, pattern, action);
    }
}
