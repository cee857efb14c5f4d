package org.coopvm.guest.block;

/**
 * Told when a block request ends.
 *
 * <p>Threading: runs on vCPU 0 (the device's event channel is bound there), one at a time; it
 * may submit more requests. It must return promptly, as any event handler.
 */
@FunctionalInterface
public interface BlockCompletion
{
    /**
     * @param status 0 when done; {@code -EIO} when the backend failed or refused it
     *               ({@code BLKIF_RSP_ERROR}); {@code -EOPNOTSUPP} when the backend does not do
     *               that operation; {@code -ENOTCONN} when the device disconnected first.
     */
    void completed(int status);
}
