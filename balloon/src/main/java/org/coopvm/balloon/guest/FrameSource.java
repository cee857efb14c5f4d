package org.coopvm.balloon.guest;

/**
 * What the balloon driver needs from the guest's page allocator: take free frames out of it
 * (Linux's {@code alloc_page(GFP_BALLOON)} plus {@code adjust_managed_page_count}) and give
 * populated frames back ({@code free_reserved_page}).
 *
 * <p>Frames are guest frame numbers (gpfns): frame {@code f} is bytes {@code f * 4096 ..
 * f * 4096 + 4095} of the guest's physical memory. A frame the source gave out is no longer the
 * allocator's: no workload may read or write it until it is given back.
 *
 * <p>Thread safety: called only on the balloon driver's thread; an implementation shared with
 * allocating threads synchronises internally.
 */
public interface FrameSource
{
    /**
     * Take up to {@code maxFrames} free frames out of the allocator. The source decides how
     * many it can spare: it never takes the guest into out-of-memory (it keeps its own reserve
     * and what the guest declared it needs), as Linux inflates at most {@code si_mem_available()}
     * with {@code __GFP_NORETRY}. Returning fewer, even 0, is normal.
     *
     * @param gpfns     where to write the frames taken, from index 0.
     * @param maxFrames most frames to take, at most {@code gpfns.length}.
     * @return frames taken, {@code 0 .. maxFrames}.
     */
    int offline(int[] gpfns, int maxFrames);

    /**
     * Give populated frames back to the allocator: they are free for workloads again.
     *
     * @param gpfns frames at indexes {@code 0 .. count - 1}; each was taken with
     *              {@link #offline(int[], int)} or is a frame the guest did not hold at boot,
     *              and the hypervisor has just populated it.
     * @param count how many.
     */
    void online(int[] gpfns, int count);
}
