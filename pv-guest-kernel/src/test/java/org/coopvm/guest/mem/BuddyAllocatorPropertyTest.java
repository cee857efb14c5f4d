package org.coopvm.guest.mem;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.coopvm.guest.mem.BuddyAllocator.Block;
import org.coopvm.guest.mem.BuddyAllocator.FrameState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Random sequences of allocate, free, offline, peek and online (valid and invalid) against a
 * model that knows every frame's state: no frame is handed out twice, an offline frame is never
 * handed out, counts match, both pools are always fully coalesced, and freeing everything and
 * onlining everything gives back exactly the blocks of a fresh allocator.
 */
class BuddyAllocatorPropertyTest
{
    enum Kind
    {
        ALLOCATE, FREE, OFFLINE, PEEK, ONLINE, ONLINE_INVALID
    }

    record Op(Kind kind, int amount, int pick)
    {
    }

    @Provide
    Arbitrary<List<Op>> operations()
    {
        final Arbitrary<Kind> kinds = Arbitraries.frequencyOf(
            Tuple.of(5, Arbitraries.just(Kind.ALLOCATE)),
            Tuple.of(4, Arbitraries.just(Kind.FREE)),
            Tuple.of(2, Arbitraries.just(Kind.OFFLINE)),
            Tuple.of(1, Arbitraries.just(Kind.PEEK)),
            Tuple.of(2, Arbitraries.just(Kind.ONLINE)),
            Tuple.of(1, Arbitraries.just(Kind.ONLINE_INVALID)));
        final Arbitrary<Integer> amounts = Arbitraries.oneOf(Arbitraries.integers().between(1, 9), Arbitraries.integers().between(1, 2500));
        return Combinators.combine(kinds, amounts, Arbitraries.integers().greaterOrEqual(0)).as(Op::new).list().ofMaxSize(60);
    }

    @Provide
    Arbitrary<Integer> sizes()
    {
        return Arbitraries.oneOf(Arbitraries.of(1, 2, 3, 1024, 1025, 2048, 3000), Arbitraries.integers().between(1, 3000));
    }

    @Property(tries = 200)
    void framesAreNeverSharedNorOfflineWhenHandedOutAndPoolsStayCoalesced(
        @ForAll("sizes") final int maxFrames,
        @ForAll("percent") final int onlinePercent,
        @ForAll("operations") final List<Op> ops)
    {
        final Model model = new Model(maxFrames, (int)((long)maxFrames * onlinePercent / 100));
        for (final Op op : ops)
        {
            model.apply(op);
            model.check();
        }
        for (int frame = 0; frame < maxFrames; frame++)
        {
            assertThat(model.buddy.stateOf(frame)).as("frame %d", frame).isEqualTo(model.states[frame]);
        }
        model.freeAllAndOnlineAll();
        assertThat(new HashSet<>(model.buddy.blocks(FrameState.FREE)))
            .as("everything coalesced back")
            .isEqualTo(new HashSet<>(new BuddyAllocator(maxFrames, maxFrames).blocks(FrameState.FREE)));
        assertThat(model.buddy.blocks(FrameState.OFFLINE)).isEmpty();
    }

    @Property(tries = 200)
    void freeingEverythingRestoresTheInitialBlocks(
        @ForAll("sizes") final int maxFrames,
        @ForAll("percent") final int onlinePercent,
        @ForAll("operations") final List<Op> ops)
    {
        final int online = (int)((long)maxFrames * onlinePercent / 100);
        final Model model = new Model(maxFrames, online);
        for (final Op op : ops)
        {
            if (op.kind() == Kind.ALLOCATE || op.kind() == Kind.FREE)
            {
                model.apply(op);
            }
        }
        model.freeAll();
        final BuddyAllocator fresh = new BuddyAllocator(maxFrames, online);
        assertThat(new HashSet<>(model.buddy.blocks(FrameState.FREE))).isEqualTo(new HashSet<>(fresh.blocks(FrameState.FREE)));
        assertThat(new HashSet<>(model.buddy.blocks(FrameState.OFFLINE))).isEqualTo(new HashSet<>(fresh.blocks(FrameState.OFFLINE)));
    }

    @Provide
    Arbitrary<Integer> percent()
    {
        return Arbitraries.oneOf(Arbitraries.of(0, 100), Arbitraries.integers().between(0, 100));
    }

    /** The allocator and what each frame must be. */
    static final class Model
    {
        final BuddyAllocator buddy;
        final FrameState[] states;
        final List<BlockList> allocations = new ArrayList<>();

        Model(final int maxFrames, final int onlineFrames)
        {
            buddy = new BuddyAllocator(maxFrames, onlineFrames);
            states = new FrameState[maxFrames];
            Arrays.fill(states, 0, onlineFrames, FrameState.FREE);
            Arrays.fill(states, onlineFrames, maxFrames, FrameState.OFFLINE);
        }

        void apply(final Op op)
        {
            switch (op.kind())
            {
                case ALLOCATE -> allocate(op.amount());
                case FREE -> free(op.pick());
                case OFFLINE -> offline(op.amount());
                case PEEK -> peek(op.amount());
                case ONLINE -> online(op.pick(), op.amount());
                case ONLINE_INVALID -> onlineInvalid(op.pick());
            }
        }

        void allocate(final int pages)
        {
            final BlockList out = new BlockList();
            final boolean expected = pages <= count(FrameState.FREE);
            assertThat(buddy.allocate(pages, out)).isEqualTo(expected);
            if (!expected)
            {
                assertThat(out.size()).as("a failed allocation takes nothing").isZero();
                return;
            }
            assertThat(take(out, FrameState.ALLOCATED)).isEqualTo(pages);
            allocations.add(out);
        }

        void free(final int pick)
        {
            if (allocations.isEmpty())
            {
                return;
            }
            final BlockList blocks = allocations.remove(pick % allocations.size());
            for (int i = 0; i < blocks.size(); i++)
            {
                buddy.free(blocks.first(i), blocks.length(i));
                Arrays.fill(states, blocks.first(i), blocks.first(i) + blocks.length(i), FrameState.FREE);
            }
            assertThatThrownBy(() -> buddy.free(blocks.first(0), blocks.length(0))).as("double free")
                .isInstanceOf(IllegalArgumentException.class);
        }

        void offline(final int pages)
        {
            final BlockList out = new BlockList();
            final int expected = Math.min(pages, count(FrameState.FREE));
            assertThat(buddy.offline(pages, out)).isEqualTo(expected);
            assertThat(take(out, FrameState.OFFLINE)).isEqualTo(expected);
        }

        void peek(final int pages)
        {
            final BlockList out = new BlockList();
            final int reported = buddy.peekOffline(pages, out);
            assertThat(reported).isEqualTo(Math.min(pages, count(FrameState.OFFLINE)));
            final Set<Integer> seen = new HashSet<>();
            for (int i = 0; i < out.size(); i++)
            {
                for (int frame = out.first(i); frame < out.first(i) + out.length(i); frame++)
                {
                    assertThat(states[frame]).isEqualTo(FrameState.OFFLINE);
                    assertThat(seen.add(frame)).isTrue();
                }
            }
            assertThat(seen).hasSize(reported);
        }

        void online(final int pick, final int pages)
        {
            final int first = nth(FrameState.OFFLINE, pick);
            if (first < 0)
            {
                return;
            }
            int end = first;
            while (end < states.length && end - first < pages && states[end] == FrameState.OFFLINE)
            {
                end++;
            }
            buddy.online(first, end - first);
            Arrays.fill(states, first, end, FrameState.FREE);
        }

        void onlineInvalid(final int pick)
        {
            final int notOffline = nth(FrameState.FREE, pick) >= 0 ? nth(FrameState.FREE, pick) : nth(FrameState.ALLOCATED, pick);
            if (notOffline < 0)
            {
                return;
            }
            final int first = notOffline > 0 && states[notOffline - 1] == FrameState.OFFLINE ? notOffline - 1 : notOffline;
            assertThatThrownBy(() -> buddy.online(first, notOffline - first + 1)).isInstanceOf(IllegalArgumentException.class);
        }

        void freeAll()
        {
            while (!allocations.isEmpty())
            {
                free(0);
            }
            check();
        }

        void freeAllAndOnlineAll()
        {
            freeAll();
            for (int first = nth(FrameState.OFFLINE, 0); first >= 0; first = nth(FrameState.OFFLINE, 0))
            {
                online(first, states.length);
            }
            check();
        }

        void check()
        {
            assertThat(buddy.freeFrames()).isEqualTo(count(FrameState.FREE));
            assertThat(buddy.offlineFrames()).isEqualTo(count(FrameState.OFFLINE));
            assertThat(buddy.onlineFrames()).isEqualTo(states.length - count(FrameState.OFFLINE));
            assertThat(new HashSet<>(buddy.blocks(FrameState.FREE))).as("free pool fully coalesced")
                .isEqualTo(canonical(FrameState.FREE));
            assertThat(new HashSet<>(buddy.blocks(FrameState.OFFLINE))).as("offline pool fully coalesced")
                .isEqualTo(canonical(FrameState.OFFLINE));
        }

        /** Check each block was free, aligned and at most MAX_ORDER, and mark it. @return frames. */
        private int take(final BlockList out, final FrameState to)
        {
            int frames = 0;
            for (int i = 0; i < out.size(); i++)
            {
                final int first = out.first(i);
                final int length = out.length(i);
                assertThat(Integer.bitCount(length)).isEqualTo(1);
                assertThat(length).isLessThanOrEqualTo(1 << BuddyAllocator.MAX_ORDER);
                assertThat(first % length).as("aligned").isZero();
                for (int frame = first; frame < first + length; frame++)
                {
                    assertThat(states[frame]).as("frame %d handed out", frame).isEqualTo(FrameState.FREE);
                    states[frame] = to;
                }
                frames += length;
            }
            return frames;
        }

        /** The maximal buddy blocks covering exactly the frames in {@code state}. */
        private Set<Block> canonical(final FrameState state)
        {
            final Set<Block> blocks = new HashSet<>();
            int frame = 0;
            while (frame < states.length)
            {
                if (states[frame] != state)
                {
                    frame++;
                    continue;
                }
                int end = frame;
                while (end < states.length && states[end] == state)
                {
                    end++;
                }
                while (frame < end)
                {
                    int order = Math.min(BuddyAllocator.MAX_ORDER, Integer.numberOfTrailingZeros(frame));
                    while (1 << order > end - frame)
                    {
                        order--;
                    }
                    blocks.add(new Block(frame, order));
                    frame += 1 << order;
                }
            }
            return blocks;
        }

        private int count(final FrameState state)
        {
            int count = 0;
            for (final FrameState s : states)
            {
                count += s == state ? 1 : 0;
            }
            return count;
        }

        /** @return the frame of the (pick mod count)-th frame in {@code state}, or -1 when none. */
        private int nth(final FrameState state, final int pick)
        {
            final int count = count(state);
            if (count == 0)
            {
                return -1;
            }
            int n = pick % count;
            for (int frame = 0; frame < states.length; frame++)
            {
                if (states[frame] == state && n-- == 0)
                {
                    return frame;
                }
            }
            throw new AssertionError();
        }
    }
}
