package org.coopvm.hypervisor.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.coopvm.hypervisor.config.ConfigException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;

/**
 * The host's management API: JSON over HTTP on 127.0.0.1 only (never a wildcard address),
 * served by the JDK's {@link HttpServer} on a small pool of handler threads.
 *
 * <ul>
 *   <li>{@code /v1/...}: the routes of {@link ApiRoutes}; every call must carry
 *       {@code Authorization: Bearer <token>} with the token from {@code <run>/api.token}
 *       (compared in constant time), else {@code 401 EACCES}. Request bodies over
 *       {@link #MAX_BODY_BYTES} get {@code 413 E2BIG}. Errors are {@link ApiError} JSON.</li>
 *   <li>{@code /metrics}: the Prometheus scrape of the host's registry. It needs no token: it
 *       is read-only and, like the whole server, reachable from this machine only.</li>
 * </ul>
 *
 * <p>Start-up order: the run directory is claimed, the token file is written ({@code 0600})
 * before the server accepts any call, and {@code host.json} is written once it is listening,
 * so a client that finds {@code host.json} can call at once.
 *
 * <p>Thread safety: {@link #start} and {@link #close} from the host's main thread; handlers run
 * on the server's own threads.
 */
public final class ManagementServer implements AutoCloseable
{
    /** Largest request body accepted. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    /** Request header naming the config file sent to {@code POST /v1/domains}, for error messages. */
    public static final String CONFIG_SOURCE_HEADER = "X-Coop-Config-Source";

    private static final System.Logger LOG = System.getLogger(ManagementServer.class.getName());
    private static final int HANDLER_THREADS = 4;
    private static final String JSON_TYPE = "application/json; charset=utf-8";

    private final HttpServer server;
    private final ExecutorService executor;
    private final RunDirectory runDir;
    private final PrometheusMeterRegistry registry;
    private final ObjectMapper json;
    private final List<ApiRoutes.Route> routes;
    private final byte[] token;
    private final AtomicBoolean closed = new AtomicBoolean();
    private boolean claimedHere;

    private ManagementServer(
        final HttpServer server,
        final RunDirectory runDir,
        final PrometheusMeterRegistry registry,
        final List<ApiRoutes.Route> routes,
        final ObjectMapper json,
        final String token)
    {
        this.server = server;
        this.executor = Executors.newFixedThreadPool(HANDLER_THREADS, handlerThreads());
        this.runDir = runDir;
        this.registry = registry;
        this.json = json;
        this.routes = routes;
        this.token = token.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Claim the run directory, write the token, start listening, then write {@code host.json}.
     *
     * @param control   the hypervisor the routes call.
     * @param runDir    the host's run directory (made if missing).
     * @param port      TCP port on 127.0.0.1; 0 for any free one.
     * @param registry  metrics to serve at {@code /metrics}; API call timers are added to it.
     * @param afterStop run (on a handler thread) once {@code POST /v1/host/stop} has stopped the
     *                  hypervisor and answered; the host closes this server and exits from it.
     * @return the running server.
     * @throws HostControlException {@code EBUSY} if another host runs in the directory,
     *                              {@code EINVAL}/{@code EIO} if the directory or port cannot be used.
     */
    public static ManagementServer start(
        final HostControl control,
        final RunDirectory runDir,
        final int port,
        final PrometheusMeterRegistry registry,
        final Runnable afterStop)
    {
        final boolean claimedHere = !runDir.holdsClaim();
        runDir.claim();
        final String token = runDir.writeNewToken();
        final ObjectMapper json = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS).build();
        final HttpServer server = bind(port, runDir, claimedHere);
        final ManagementServer api = new ManagementServer(
            server, runDir, registry, new ApiRoutes(control, json, afterStop).routes(), json, token);
        api.claimedHere = claimedHere;
        server.setExecutor(api.executor);
        server.createContext("/v1/", api::handleApi);
        server.createContext("/metrics", api::handleMetrics);
        server.start();
        runDir.writeHostEndpoint(new HostEndpoint(
            ProcessHandle.current().pid(), api.port(), runDir.root().toString(), System.currentTimeMillis()));
        return api;
    }

    /**
     * @return the TCP port the API listens on (127.0.0.1).
     */
    public int port()
    {
        return server.getAddress().getPort();
    }

    /**
     * @return the address the API listens on: always 127.0.0.1.
     */
    public InetSocketAddress address()
    {
        return server.getAddress();
    }

    /**
     * Stop listening at once (the stop call has been answered by then), stop the handler threads
     * and delete {@code host.json} and {@code api.token}; release the run directory's lock if
     * {@link #start} took it. Idempotent.
     */
    @Override
    public void close()
    {
        if (!closed.compareAndSet(false, true))
        {
            return;
        }
        runDir.removeEndpointFiles();
        server.stop(0);
        executor.shutdownNow();
        if (claimedHere)
        {
            runDir.releaseLock();
        }
    }

    private static HttpServer bind(final int port, final RunDirectory runDir, final boolean claimedHere)
    {
        try
        {
            final InetAddress loopback = InetAddress.getByAddress(new byte[]{127, 0, 0, 1});
            return HttpServer.create(new InetSocketAddress(loopback, port), 0);
        }
        catch (final IOException ex)
        {
            runDir.removeEndpointFiles();
            if (claimedHere)
            {
                runDir.releaseLock();
            }
            throw new HostControlException(Errno.EIO, "cannot listen on 127.0.0.1:" + port + ": " + ex.getMessage(), ex);
        }
    }

    private void handleApi(final HttpExchange exchange) throws IOException
    {
        final Timer.Sample sample = Timer.start(registry);
        String template = "unmatched";
        ApiResponse response;
        try
        {
            final ApiRoutes.Route route = authorizedRoute(exchange);
            template = route.template();
            response = route.action().handle(request(exchange, route));
        }
        catch (final RuntimeException | IOException ex)
        {
            response = errorResponse(ex);
        }
        send(exchange, response);
        sample.stop(registry.timer("coop.api.requests",
            "method", exchange.getRequestMethod(), "route", template, "status", String.valueOf(response.status())));
        response.afterSend().run();
    }

    private ApiRoutes.Route authorizedRoute(final HttpExchange exchange)
    {
        checkToken(exchange.getRequestHeaders().getFirst("Authorization"));
        final String path = exchange.getRequestURI().getPath();
        boolean pathKnown = false;
        for (final ApiRoutes.Route route : routes)
        {
            if (route.match(path).matches())
            {
                pathKnown = true;
                if (route.method().equals(exchange.getRequestMethod()))
                {
                    return route;
                }
            }
        }
        throw new HostControlException(Errno.ENOSYS, pathKnown ?
            "method " + exchange.getRequestMethod() + " is not allowed on " + path :
            "no API route " + path);
    }

    private void checkToken(final String authorization)
    {
        if (authorization == null || !authorization.startsWith("Bearer "))
        {
            throw new HostControlException(Errno.EACCES,
                "missing API token: send 'Authorization: Bearer <token>' with the token from " + runDir.tokenFile());
        }
        final byte[] presented = authorization.substring("Bearer ".length()).strip().getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(presented, token))
        {
            throw new HostControlException(Errno.EACCES, "wrong API token: use the one in " + runDir.tokenFile());
        }
    }

    private static ApiRequest request(final HttpExchange exchange, final ApiRoutes.Route route) throws IOException
    {
        final Matcher matcher = route.match(exchange.getRequestURI().getPath());
        matcher.matches();
        final String source = exchange.getRequestHeaders().getFirst(CONFIG_SOURCE_HEADER);
        return new ApiRequest(matcher, exchange.getRequestURI().getRawQuery(), readBody(exchange), configSource(source));
    }

    private static String configSource(final String header)
    {
        if (header == null || header.isBlank())
        {
            return "request body";
        }
        final String clean = header.replaceAll("[^A-Za-z0-9_./ -]", "?");
        return clean.length() > 200 ? clean.substring(clean.length() - 200) : clean;
    }

    private static byte[] readBody(final HttpExchange exchange) throws IOException
    {
        final String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length != null && length.length() > 0 && parseLength(length) > MAX_BODY_BYTES)
        {
            throw tooLarge();
        }
        try (InputStream in = exchange.getRequestBody())
        {
            final byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES)
            {
                throw tooLarge();
            }
            return body;
        }
    }

    private static long parseLength(final String length)
    {
        try
        {
            return Long.parseLong(length.strip());
        }
        catch (final NumberFormatException ex)
        {
            throw new HostControlException(Errno.EINVAL, "bad Content-Length '" + length + "'");
        }
    }

    private static HostControlException tooLarge()
    {
        return new HostControlException(Errno.E2BIG, "request body is larger than " + MAX_BODY_BYTES + " bytes");
    }

    private static ApiResponse errorResponse(final Exception ex)
    {
        return switch (ex)
        {
            case HostControlException hce -> ApiResponse.error(hce.errno(), hce.getMessage());
            case ConfigException ce -> ApiResponse.error(Errno.EINVAL, ce.getMessage());
            case JacksonException je -> ApiResponse.error(Errno.EINVAL,
                "request body is not valid JSON for this call: " + je.getOriginalMessage());
            case IllegalArgumentException iae -> ApiResponse.error(Errno.EINVAL, iae.getMessage());
            default -> internalError(ex);
        };
    }

    private static ApiResponse internalError(final Exception ex)
    {
        LOG.log(System.Logger.Level.ERROR, "management API call failed", ex);
        return ApiResponse.error(Errno.EIO, "internal error in the host: " + ex);
    }

    private void send(final HttpExchange exchange, final ApiResponse response) throws IOException
    {
        try (exchange)
        {
            if (response.body() == null)
            {
                exchange.sendResponseHeaders(response.status(), -1);
                return;
            }
            final byte[] bytes = json.writeValueAsBytes(response.body());
            exchange.getResponseHeaders().set("Content-Type", JSON_TYPE);
            if (response.status() == Errno.EACCES.httpStatus())
            {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
            }
            exchange.sendResponseHeaders(response.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(bytes);
            }
        }
    }

    private void handleMetrics(final HttpExchange exchange) throws IOException
    {
        try (exchange)
        {
            if (!"GET".equals(exchange.getRequestMethod()))
            {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            final byte[] bytes = registry.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(bytes);
            }
        }
    }

    private static ThreadFactory handlerThreads()
    {
        final AtomicInteger count = new AtomicInteger();
        return runnable ->
        {
            final Thread thread = new Thread(runnable, "coop-api-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
