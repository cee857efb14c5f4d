package org.coopvm.hypervisor.api;

/**
 * The JSON body of every error answer: {@code {"error": "ENOENT", "message": "..."}}.
 *
 * @param error   an {@link Errno} name.
 * @param message what went wrong, for the user.
 */
public record ApiError(String error, String message)
{
}
