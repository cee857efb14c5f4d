package org.coopvm.cli.domain;

import org.coopvm.cli.OperationFailedException;
import org.coopvm.cli.toolstack.ToolstackFactory;
import org.coopvm.hypervisor.api.DomainInfo;
import org.coopvm.hypervisor.api.ManagementClient;
import org.coopvm.hypervisor.config.DomainConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code coop create FILE}: create a domain from an xl.cfg-style file. The file is checked here
 * first (so mistakes are reported even with no host; its cooperation policy against the ones the
 * guest kernel has), then sent to the host, which checks it again and boots the domain.
 *
 * <p>Thread safety: confined to the command's thread.
 */
@Command(name = "create", mixinStandardHelpOptions = true, description = "Create a domain from a config file.")
public final class CreateCommand extends ClientCommand
{
    @Parameters(index = "0", paramLabel = "FILE", description = "Domain config file (xl.cfg syntax).")
    private Path file;

    private String text;

    @Override
    void prepare()
    {
        text = read(file);
        ToolstackFactory.checkCoopPolicy(DomainConfig.parse(text, file.toString()), text, file.toString());
    }

    @Override
    void run(final ManagementClient client, final PrintWriter out)
    {
        final DomainInfo created = client.create(text, file.toAbsolutePath().toString()); // relative disk paths: from the file's directory
        out.println("Created domain " + created.name() + " (id " + created.domid() + ")");
    }

    private static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException ex)
        {
            throw new OperationFailedException("cannot read domain config " + file + ": " + ex);
        }
    }
}
