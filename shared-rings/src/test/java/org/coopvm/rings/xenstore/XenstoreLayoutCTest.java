package org.coopvm.rings.xenstore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Our descriptors against Xen's {@code io/xs_wire.h} as gcc lays it out. Skipped when gcc or the
 * Xen headers are missing (CI installs libxen-dev).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XenstoreLayoutCTest
{
    private static final Path XS_WIRE_H = Path.of("/usr/include/xen/io/xs_wire.h");
    private static final String PROGRAM = """
        #include <errno.h>
        #include <stddef.h>
        #include <stdio.h>
        #include <stdint.h>
        #include <xen/io/xs_wire.h>
        #define OFF(f) printf(#f "=%zu\\n", offsetof(struct xenstore_domain_interface, f))
        int main(void)
        {
            OFF(req); OFF(rsp); OFF(req_cons); OFF(req_prod); OFF(rsp_cons); OFF(rsp_prod);
            OFF(server_features); OFF(connection); OFF(error);
            printf("type=%zu\\nreq_id=%zu\\ntx_id=%zu\\nlen=%zu\\nheader=%zu\\n",
                offsetof(struct xsd_sockmsg, type), offsetof(struct xsd_sockmsg, req_id),
                offsetof(struct xsd_sockmsg, tx_id), offsetof(struct xsd_sockmsg, len), sizeof(struct xsd_sockmsg));
            printf("XS_DIRECTORY_PART=%d\\nXS_RESET_WATCHES=%d\\nXS_ERROR=%d\\nXS_WATCH_EVENT=%d\\n",
                XS_DIRECTORY_PART, XS_RESET_WATCHES, XS_ERROR, XS_WATCH_EVENT);
            for (unsigned i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
                printf("err%u=%s\\n", i, xsd_errors[i].errstring);
            return 0;
        }
        """;

    @TempDir(cleanup = CleanupMode.ALWAYS)
    Path dir;

    @Test
    void descriptorsMatchXsWireH() throws Exception
    {
        assumeTrue(Files.exists(XS_WIRE_H), "Xen headers missing (" + XS_WIRE_H + "): apt-get install libxen-dev");
        final Path source = Files.writeString(dir.resolve("layout.c"), PROGRAM);
        final Path binary = dir.resolve("layout");
        final Process gcc;
        try
        {
            gcc = new ProcessBuilder("gcc", "-Wall", "-Werror", "-o", binary.toString(), source.toString())
                .redirectErrorStream(true).start();
        }
        catch (final IOException e)
        {
            assumeTrue(false, "gcc not found on PATH");
            return;
        }
        final String gccOutput = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(gcc.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(gcc.exitValue()).as("gcc: %s", gccOutput).isZero();
        final Process run = new ProcessBuilder(binary.toString()).start();
        final Map<String, String> values = new HashMap<>();
        new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
            .forEach(line -> values.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1)));
        assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();

        assertThat(values).containsEntry("req", str(XenstoreInterfaceDescriptor.REQ_OFFSET))
            .containsEntry("rsp", str(XenstoreInterfaceDescriptor.RSP_OFFSET))
            .containsEntry("req_cons", str(XenstoreInterfaceDescriptor.REQ_CONS_OFFSET))
            .containsEntry("req_prod", str(XenstoreInterfaceDescriptor.REQ_PROD_OFFSET))
            .containsEntry("rsp_cons", str(XenstoreInterfaceDescriptor.RSP_CONS_OFFSET))
            .containsEntry("rsp_prod", str(XenstoreInterfaceDescriptor.RSP_PROD_OFFSET))
            .containsEntry("server_features", str(XenstoreInterfaceDescriptor.SERVER_FEATURES_OFFSET))
            .containsEntry("connection", str(XenstoreInterfaceDescriptor.CONNECTION_OFFSET))
            .containsEntry("error", str(XenstoreInterfaceDescriptor.ERROR_OFFSET))
            .containsEntry("type", str(XsHeaderDescriptor.TYPE_OFFSET))
            .containsEntry("req_id", str(XsHeaderDescriptor.REQ_ID_OFFSET))
            .containsEntry("tx_id", str(XsHeaderDescriptor.TX_ID_OFFSET))
            .containsEntry("len", str(XsHeaderDescriptor.LEN_OFFSET))
            .containsEntry("header", str(XsHeaderDescriptor.HEADER_LENGTH))
            .containsEntry("XS_DIRECTORY_PART", str(XsMessageType.DIRECTORY_PART.code()))
            .containsEntry("XS_RESET_WATCHES", str(XsMessageType.RESET_WATCHES.code()))
            .containsEntry("XS_ERROR", str(XsMessageType.ERROR.code()))
            .containsEntry("XS_WATCH_EVENT", str(XsMessageType.WATCH_EVENT.code()));
        for (final XsErrno errno : XsErrno.values())
        {
            assertThat(values).containsEntry("err" + errno.ordinal(), errno.name());
        }
    }

    private static String str(final int value)
    {
        return Integer.toString(value);
    }
}
