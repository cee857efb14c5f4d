package org.coopvm.hypervisor.api;

/**
 * What a route answers: an HTTP status, a body to send as JSON (null for none), and an action
 * to run once the answer has been sent (used by {@code POST /v1/host/stop}).
 *
 * @param status    HTTP status.
 * @param body      object to serialise as JSON, or null for an empty body.
 * @param afterSend run after the response is complete; never null.
 */
record ApiResponse(int status, Object body, Runnable afterSend)
{
    private static final Runnable NOTHING = () ->
    {
    };

    static ApiResponse ok(final Object body)
    {
        return new ApiResponse(200, body, NOTHING);
    }

    static ApiResponse created(final Object body)
    {
        return new ApiResponse(201, body, NOTHING);
    }

    static ApiResponse noContent()
    {
        return new ApiResponse(204, null, NOTHING);
    }

    static ApiResponse error(final Errno errno, final String message)
    {
        return new ApiResponse(errno.httpStatus(), new ApiError(errno.name(), message), NOTHING);
    }
}
