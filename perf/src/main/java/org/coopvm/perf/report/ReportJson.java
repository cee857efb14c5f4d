package org.coopvm.perf.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes a {@link RingsReport} as JSON: run information, every figure with its identifier and
 * unit, each of our figures' ratio to the best peer, and each goal's outcome.
 * Not-a-number values (not measured) are written as {@code null}. Stateless; any thread.
 */
public final class ReportJson
{
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson()
    {
    }

    /**
     * @param report the run.
     * @return the JSON document as a tree.
     */
    public static ObjectNode toTree(final RingsReport report)
    {
        final ObjectNode root = MAPPER.createObjectNode();
        root.set("run", run(report.run()));
        final ArrayNode figures = root.putArray("figures");
        for (final Figure figure : report.figures())
        {
            figures.add(figure(report, figure));
        }
        final ArrayNode goals = root.putArray("goals");
        for (final GoalResult result : report.goalResults())
        {
            goals.add(goal(result));
        }
        return root;
    }

    /**
     * Write the report, creating the parent directories.
     *
     * @param report the run.
     * @param file   where to write.
     * @throws IOException when the file cannot be written.
     */
    public static void write(final RingsReport report, final Path file) throws IOException
    {
        final Path parent = file.toAbsolutePath().getParent();
        if (parent != null)
        {
            Files.createDirectories(parent);
        }
        MAPPER.writeValue(file.toFile(), toTree(report));
    }

    private static ObjectNode run(final RunInfo run)
    {
        final ObjectNode node = MAPPER.createObjectNode();
        node.put("startedAt", run.startedAt().toString());
        node.put("elapsedSeconds", run.elapsed().toMillis() / 1000.0);
        node.put("command", run.command());
        node.put("mode", run.mode());
        node.put("availableProcessors", run.availableProcessors());
        node.put("os", run.os());
        node.put("jvm", run.jvm());
        final ArrayNode notes = node.putArray("notes");
        run.notes().forEach(notes::add);
        final ArrayNode failures = node.putArray("failures");
        run.failures().forEach(failures::add);
        return node;
    }

    private static ObjectNode figure(final RingsReport report, final Figure figure)
    {
        final ObjectNode node = MAPPER.createObjectNode();
        node.put("id", figure.id());
        node.put("subject", figure.subject().id());
        node.put("subjectName", figure.subject().displayName());
        node.put("ours", figure.subject().ours());
        node.put("recorded", figure.subject().recorded());
        node.put("metric", figure.metric().id());
        node.put("scope", figure.scope().id());
        node.put("wait", figure.waitMode().id());
        node.put("unit", figure.metric().unit());
        putNumber(node, "value", figure.value());
        if (figure.subject().ours())
        {
            putNumber(node, "ratioToBestPeer", report.ratioToBestPeer(figure));
            Figures.bestPeer(report.figures(), figure).ifPresent(peer -> node.put("bestPeer", peer.subject().id()));
        }
        return node;
    }

    private static ObjectNode goal(final GoalResult result)
    {
        final Goal goal = result.goal();
        final ObjectNode node = MAPPER.createObjectNode();
        node.put("name", goal.name());
        node.put("metric", goal.metric().id());
        node.put("scope", goal.scope().id());
        node.put("wait", goal.waitMode().id());
        node.put("ours", goal.ours().id());
        final ArrayNode peers = node.putArray("peers");
        goal.peers().forEach(peer -> peers.add(peer.id()));
        node.put("comparison", goal.comparison());
        node.put("limit", goal.limit());
        node.put("status", result.status().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        putNumber(node, "oursValue", result.oursValue());
        if (result.bestPeer() != null)
        {
            node.put("bestPeer", result.bestPeer().id());
        }
        putNumber(node, "peerValue", result.peerValue());
        putNumber(node, "ratio", result.ratio());
        return node;
    }

    private static void putNumber(final ObjectNode node, final String field, final double value)
    {
        if (Double.isNaN(value))
        {
            node.putNull(field);
        }
        else
        {
            node.put(field, value);
        }
    }
}
