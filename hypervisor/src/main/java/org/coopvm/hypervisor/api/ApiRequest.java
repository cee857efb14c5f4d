package org.coopvm.hypervisor.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;

/**
 * One API call as a route sees it: the path parameters, the query and the (size-limited) body.
 *
 * <p>Thread safety: confined to the handler thread serving the call.
 */
final class ApiRequest
{
    private final Matcher path;
    private final String rawQuery;
    private final byte[] body;
    private final String configSource;

    ApiRequest(final Matcher path, final String rawQuery, final byte[] body, final String configSource)
    {
        this.path = path;
        this.rawQuery = rawQuery;
        this.body = body;
        this.configSource = configSource;
    }

    /**
     * @return the first path parameter, e.g. the domain of {@code /v1/domains/{id}}.
     */
    String id()
    {
        return path.group(1);
    }

    /**
     * @param name a query parameter.
     * @return its decoded value, or null if absent.
     */
    String query(final String name)
    {
        if (rawQuery == null)
        {
            return null;
        }
        for (final String pair : rawQuery.split("&"))
        {
            final int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name))
            {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    byte[] body()
    {
        return body;
    }

    String bodyText()
    {
        return new String(body, StandardCharsets.UTF_8);
    }

    /**
     * @return the name the client gave the config file it sent, for error messages.
     */
    String configSource()
    {
        return configSource;
    }
}
