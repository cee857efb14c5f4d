package org.coopvm.hypervisor.xenstore;

import org.coopvm.rings.xenstore.XsMessage;
import org.coopvm.rings.xenstore.XsMessageType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XenstoredTest
{
    private final Xenstored xenstored = new Xenstored(XenstoreConfig.DEFAULTS);
    private final XsProbe dom0 = new XsProbe(xenstored, 0);

    @Test
    void writeCreatesParentsAndReadReturnsTheValue()
    {
        assertThat(dom0.write("/a/b/c", "hello")).isEqualTo("OK");
        assertThat(dom0.read("/a/b/c")).isEqualTo("hello");
        assertThat(dom0.read("/a/b")).isEmpty();
        assertThat(dom0.call(XsMessageType.DIRECTORY, 0, "/a").strings()).containsExactly("b");
        assertThat(dom0.call(XsMessageType.DIRECTORY, 0, "/").strings()).contains("local", "tool", "a");
    }

    @Test
    void replyEchoesRequestAndTransactionIds()
    {
        dom0.write("/x", "1");
        final XsMessage reply = dom0.call(XsMessageType.READ, 0, "/x");
        assertThat(reply.type()).isEqualTo(XsMessageType.READ.code());
        assertThat(reply.reqId()).isEqualTo(102);
        assertThat(reply.payload()).containsExactly('1');
    }

    @Test
    void rmRemovesTheSubtreeAndMissingChildOfExistingParentIsFine()
    {
        dom0.write("/a/b/c", "1");
        dom0.write("/a/d", "2");
        assertThat(dom0.text(XsMessageType.RM, 0, "/a/b")).isEqualTo("OK");
        assertThat(dom0.read("/a/b/c")).isEqualTo("ERR:ENOENT");
        assertThat(dom0.call(XsMessageType.DIRECTORY, 0, "/a").strings()).containsExactly("d");
        assertThat(dom0.text(XsMessageType.RM, 0, "/a/zz")).isEqualTo("OK");
        assertThat(dom0.text(XsMessageType.RM, 0, "/nope/zz")).isEqualTo("ERR:ENOENT");
        assertThat(dom0.text(XsMessageType.RM, 0, "/")).isEqualTo("ERR:EINVAL");
    }

    @Test
    void mkdirIsIdempotentAndKeepsValues()
    {
        dom0.write("/m", "v");
        assertThat(dom0.text(XsMessageType.MKDIR, 0, "/m")).isEqualTo("OK");
        assertThat(dom0.read("/m")).isEqualTo("v");
        assertThat(dom0.text(XsMessageType.MKDIR, 0, "/n/o")).isEqualTo("OK");
        assertThat(dom0.read("/n/o")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/a//b", "/a/", "/a b", "/a*b", "/a\\b", "", "/a.b"})
    void malformedPathsAreEinval(final String path)
    {
        assertThat(dom0.write(path, "x")).isEqualTo("ERR:EINVAL");
        assertThat(dom0.read(path)).isEqualTo("ERR:EINVAL");
    }

    @Test
    void overLongPathsAreEinval()
    {
        assertThat(dom0.write("/" + "a".repeat(3072), "x")).isEqualTo("ERR:EINVAL");
        assertThat(dom0.write("a".repeat(2049), "x")).isEqualTo("ERR:EINVAL");
        assertThat(dom0.write("/" + "a".repeat(3000), "x")).isEqualTo("OK");
    }

    @Test
    void relativePathsAreUnderTheDomainsHome()
    {
        xenstored.mkdir("/local/domain/3");
        xenstored.setPermissions("/local/domain/3", Permissions.of(3, Permissions.Access.NONE));
        final XsProbe guest = new XsProbe(xenstored, 3);
        assertThat(guest.write("data/x", "7")).isEqualTo("OK");
        assertThat(dom0.read("/local/domain/3/data/x")).isEqualTo("7");
        assertThat(guest.text(XsMessageType.GET_DOMAIN_PATH, 0, "3")).isEqualTo("/local/domain/3");
        assertThat(guest.text(XsMessageType.GET_DOMAIN_PATH, 0, "x3")).isEqualTo("ERR:EINVAL");
    }

    @Test
    void unknownTypesAnswerEnosysAndTheSessionGoesOn()
    {
        assertThat(dom0.call(new XsMessage(99, 0, 0, new byte[0])).text()).isEqualTo("ENOSYS");
        assertThat(dom0.call(new XsMessage(XsMessageType.CONTROL.code(), 0, 0, new byte[0])).text()).isEqualTo("ENOSYS");
        assertThat(dom0.call(new XsMessage(-1, 0, 0, new byte[0])).text()).isEqualTo("ENOSYS");
        assertThat(dom0.write("/still", "ok")).isEqualTo("OK");
    }

    @Test
    void errorsAreTypeErrorWithTheErrnoName()
    {
        final XsMessage reply = dom0.call(XsMessageType.READ, 0, "/missing");
        assertThat(reply.type()).isEqualTo(XsMessageType.ERROR.code());
        assertThat(reply.payload()).containsExactly('E', 'N', 'O', 'E', 'N', 'T', 0);
    }

    @Test
    void writeWithoutValueSeparatorIsEinval()
    {
        final XsMessage reply = dom0.call(new XsMessage(XsMessageType.WRITE.code(), 0, 0, "/nosep".getBytes()));
        assertThat(reply.text()).isEqualTo("EINVAL");
    }

    @Test
    void getAndSetPermissions()
    {
        dom0.write("/p", "v");
        assertThat(dom0.call(XsMessageType.GET_PERMS, 0, "/p").strings()).containsExactly("n0");
        assertThat(dom0.text(XsMessageType.SET_PERMS, 0, "/p", "n5", "r7")).isEqualTo("OK");
        assertThat(dom0.call(XsMessageType.GET_PERMS, 0, "/p").strings()).containsExactly("n5", "r7");
        assertThat(dom0.text(XsMessageType.SET_PERMS, 0, "/p", "x5")).isEqualTo("ERR:EINVAL");
        assertThat(dom0.text(XsMessageType.SET_PERMS, 0, "/p")).isEqualTo("ERR:EINVAL");
    }

    @Test
    void directoryPartListsChildrenInPiecesWithAGeneration()
    {
        for (int i = 0; i < 600; i++)
        {
            xenstored.write("/big/child-number-" + i, new byte[0]);
        }
        assertThat(dom0.call(XsMessageType.DIRECTORY, 0, "/big").text()).isEqualTo("E2BIG");
        final java.util.List<String> names = new java.util.ArrayList<>();
        int offset = 0;
        while (true)
        {
            final java.util.List<String> part = dom0.call(XsMessageType.DIRECTORY_PART, 0, "/big", Integer.toString(offset)).strings();
            final java.util.List<String> chunk = part.subList(1, part.size());
            final boolean last = !chunk.isEmpty() && chunk.getLast().isEmpty();
            final java.util.List<String> got = last ? chunk.subList(0, chunk.size() - 1) : chunk;
            names.addAll(got);
            offset += got.stream().mapToInt(name -> name.length() + 1).sum();
            if (last)
            {
                break;
            }
        }
        assertThat(names).hasSize(600).startsWith("child-number-0").endsWith("child-number-599");
    }

    @Test
    void configRejectsNonsense()
    {
        assertThatThrownBy(() -> new XenstoreConfig(0, 1, 1, 1, 1 << 20)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("maxNodesPerDomain");
        assertThatThrownBy(() -> new XenstoreConfig(1, 1, 1, 1, 100)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("maxOutputBytes");
    }
}
