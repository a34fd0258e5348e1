package org.asynctask.exporter.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.asynctask.exporter.config.ExporterConfig;
import org.asynctask.exporter.simulator.SimulatorServer;
import org.asynctask.exporter.testing.Readiness;
import org.asynctask.exporter.testing.TestExporter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The alerting rules shipped in {@code dashboards/alerts.yaml}, tested with {@code promtool test rules}
 * on the series a running exporter serves: a run against the simulators (one source with a key the
 * simulator does not know, a webhook that cannot be reached) is scraped, every series of that scrape
 * becomes an input series with its real name and labels, and each rule gets one scenario on them (a
 * partition whose last success stops, a function that fails, ...). A rule that names a metric or a label
 * the exporter does not serve has no input and does not fire, and the test fails.
 */
class AlertRulesIT {
    private static final Path RULES = Path.of("dashboards", "alerts.yaml");
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    /** What Prometheus adds to every series it scrapes. */
    private static final Map<String, String> TARGET =
            Map.of("job", "async-task-exporter", "instance", "exporter-1:9876");

    @TempDir
    Path dir;

    /** One scraped sample. */
    private record Sample(String name, Map<String, String> labels, double value) {
        String series() {
            Map<String, String> all = new TreeMap<>(labels);
            all.putAll(TARGET);
            return name
                    + all.entrySet().stream()
                            .map(e -> e.getKey() + "=\"" + e.getValue() + "\"")
                            .collect(Collectors.joining(",", "{", "}"));
        }
    }

    @Test
    void everyRuleFiresOnTheSeriesARunningExporterServes() throws Exception {
        List<Sample> scrape = scrapeARun();
        Map<String, String> values = new LinkedHashMap<>();
        scrape.forEach(s -> values.put(s.series(), constant(s.value())));
        List<String> expected = new ArrayList<>();

        values.put(new Sample("up", Map.of(), 0).series(), "1x5 0x25");
        expected.add(alert("AsyncTaskExporterDown", Map.of("severity", "critical")));

        // Not ready: the checks the run itself left DOWN (the source with the unknown key).
        List<Sample> down = of(scrape, "asynctask_exporter_health_check_up", s -> s.value() == 0);
        assertThat(down).extracting(s -> s.labels().get("check")).contains("source-broken-fc3");
        down.forEach(s -> expected.add(alert("AsyncTaskExporterNotReady", with(s.labels(), "severity", "critical"))));

        // Stale: every function's last success moves with time but one's, which stops at the start.
        List<Sample> lastSuccess = of(scrape, "asynctask_exporter_last_success_timestamp_seconds", s -> true);
        assertThat(lastSuccess).hasSizeGreaterThan(5);
        lastSuccess.forEach(s -> values.put(s.series(), "0+60x30"));
        Sample stale = lastSuccess.get(0);
        values.put(stale.series(), "0x30");
        expected.add(alert("AsyncTaskExporterPartitionStale", with(stale.labels(), "severity", "warning")));

        // Lag: that function's lag grows by a second a second; the others' stays as scraped.
        Sample lag = one(scrape, "asynctask_exporter_checkpoint_lag_seconds", s -> sameFunction(s, stale));
        assertThat(of(scrape, "asynctask_exporter_checkpoint_lag_seconds", s -> true))
                .allMatch(s -> s.value() < 900);
        values.put(lag.series(), "1000+60x30");
        expected.add(alert("AsyncTaskExporterCheckpointLagGrowing", with(lag.labels(), "severity", "warning")));

        // Failed tasks: one function that failed in the run fails twice a minute.
        Sample failed = of(
                        scrape,
                        "asynctask_tasks_finished_total",
                        s -> "FAILED".equals(s.labels().get("status")))
                .get(0);
        values.put(failed.series(), (long) failed.value() + "+2x30");
        Map<String, String> byFunction = new TreeMap<>(failed.labels());
        byFunction.remove("status");
        expected.add(alert("AsyncTaskFailedTasks", with(byFunction, "severity", "warning")));

        // Stuck: one function's oldest open task is two hours old; any the run had open for over an hour too.
        Sample oldest = one(scrape, "asynctask_exporter_oldest_open_task_age_seconds", s -> sameFunction(s, failed));
        values.put(oldest.series(), "7200+60x30");
        expected.add(alert("AsyncTaskStuck", with(oldest.labels(), "severity", "warning")));
        of(scrape, "asynctask_exporter_oldest_open_task_age_seconds", s -> s.value() > 3600 && !s.equals(oldest))
                .forEach(s -> expected.add(alert("AsyncTaskStuck", with(s.labels(), "severity", "warning"))));

        // Webhook: the unreachable one drops an alert a minute.
        Sample dropped = of(
                        scrape,
                        "asynctask_exporter_alerts_total",
                        s -> s.labels().get("outcome").startsWith("dropped_"))
                .get(0);
        values.put(dropped.series(), (long) dropped.value() + "+1x30");
        expected.add(alert("AsyncTaskExporterWebhookDroppingAlerts", with(dropped.labels(), "severity", "warning")));

        Path tests = dir.resolve("alerts.test.yaml");
        Files.writeString(tests, promtoolTests(values, expected), StandardCharsets.UTF_8);
        String output = promtool("test", "rules", tests.toString());
        assertThat(output).as(output).contains("SUCCESS");
    }

    /** The rules name only metrics the exporter serves ({@code up} is Prometheus's own). */
    @Test
    void theRulesFileIsValid() throws Exception {
        String output = promtool("check", "rules", RULES.toAbsolutePath().toString());
        assertThat(output).as(output).contains("SUCCESS: 7 rules found");
    }

    /** Runs the exporter until it has failed tasks and dropped webhook alerts, and parses one scrape. */
    private List<Sample> scrapeARun() throws Exception {
        try (SimulatorServer sim = SimulatorServer.start(0, dir, TestExporter.BUSY, Clock.systemUTC())) {
            Path url = Files.writeString(dir.resolve("webhook.url"), "http://127.0.0.1:1/nothing-listens-here");
            Map<String, String> raw = new HashMap<>(TestExporter.raw(
                    sim,
                    TestExporter.FAST_POLLING,
                    Map.of(
                            "exporter.alert.webhook.unreachable.format", "generic",
                            "exporter.alert.webhook.unreachable.url-file", url.toString(),
                            "exporter.alert.queue-size", "1",
                            "exporter.alert.give-up-after", "1s")));
            raw.keySet().stream()
                    .filter(k -> k.startsWith("exporter.source.fc3-demo."))
                    .toList()
                    .forEach(k -> raw.put(k.replace("fc3-demo", "broken-fc3"), raw.get(k)));
            raw.put("exporter.source.broken-fc3.access-key-id", "LTAI-unknown-key-for-the-test");
            ExporterConfig config = ExporterConfig.parse(raw, System::getenv, Providers.catalog());
            try (ExporterApp app = new ExporterApp(config, Clock.systemUTC())) {
                app.start();
                List<Sample>[] last = new List[1];
                await().atMost(Duration.ofSeconds(40))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            last[0] = parse(
                                    Readiness.get(app.metricsPort(), "/metrics").body());
                            return !of(
                                                    last[0],
                                                    "asynctask_tasks_finished_total",
                                                    s -> "FAILED"
                                                            .equals(s.labels().get("status")))
                                            .isEmpty()
                                    && !of(
                                                    last[0],
                                                    "asynctask_exporter_alerts_total",
                                                    s -> s.labels()
                                                            .get("outcome")
                                                            .startsWith("dropped_"))
                                            .isEmpty()
                                    && !of(last[0], "asynctask_exporter_health_check_up", s -> s.value() == 0)
                                            .isEmpty();
                        });
                return last[0];
            }
        }
    }

    private static List<Sample> parse(String metrics) {
        List<Sample> samples = new ArrayList<>();
        for (String line :
                metrics.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList()) {
            Matcher m = SAMPLE.matcher(line);
            if (!m.matches()) {
                throw new IllegalStateException("not a Prometheus sample: " + line);
            }
            Map<String, String> labels = new TreeMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(3))));
        }
        return samples;
    }

    private static List<Sample> of(List<Sample> scrape, String name, Predicate<Sample> which) {
        return scrape.stream()
                .filter(s -> s.name().equals(name) && which.test(s))
                .toList();
    }

    private static Sample one(List<Sample> scrape, String name, Predicate<Sample> which) {
        List<Sample> found = of(scrape, name, which);
        assertThat(found).as(name).hasSize(1);
        return found.get(0);
    }

    private static boolean sameFunction(Sample s, Sample other) {
        return s.labels().get("source").equals(other.labels().get("source"))
                && s.labels().get("function").equals(other.labels().get("function"));
    }

    private static Map<String, String> with(Map<String, String> labels, String key, String value) {
        Map<String, String> all = new TreeMap<>(labels);
        all.put(key, value);
        return all;
    }

    /** A value held for the whole test, in promtool's notation. */
    private static String constant(double value) {
        return (Double.isNaN(value)
                        ? "NaN"
                        : value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value))
                + "x30";
    }

    /**
     * One expected alert at the evaluation time, with every label it must carry and its summary: the rule's
     * template with the labels filled in (the summaries name labels only, never a value).
     */
    private static String alert(String name, Map<String, String> labels) {
        Map<String, String> all = new TreeMap<>(labels);
        all.putAll(TARGET);
        Matcher rule = Pattern.compile("- alert: " + name + "\n(?:.*\n)*?\\s+summary: \"(.*)\"")
                .matcher(rules());
        assertThat(rule.find()).as("rule " + name + " with a summary").isTrue();
        String summary = rule.group(1);
        for (Map.Entry<String, String> e : all.entrySet()) {
            summary = summary.replace("{{ $labels." + e.getKey() + " }}", e.getValue());
        }
        assertThat(summary)
                .as("summary of " + name + " names only labels the alert has")
                .doesNotContain("{{");
        return name + "\t"
                + all.entrySet().stream()
                        .map(e -> "            " + e.getKey() + ": '" + e.getValue() + "'")
                        .collect(Collectors.joining("\n"))
                + "\n          exp_annotations:\n            summary: '" + summary.replace("'", "''") + "'";
    }

    private static String rules() {
        try {
            return Files.readString(RULES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String promtoolTests(Map<String, String> values, List<String> expected) {
        StringBuilder out = new StringBuilder("rule_files:\n  - " + RULES.toAbsolutePath()
                + "\nevaluation_interval: 1m\ntests:\n" + "  - interval: 1m\n    input_series:\n");
        values.forEach((series, v) -> out.append("      - series: '")
                .append(series)
                .append("'\n        values: '")
                .append(v)
                .append("'\n"));
        out.append("    alert_rule_test:\n");
        Map<String, List<String>> byName = new TreeMap<>();
        expected.forEach(e -> byName.computeIfAbsent(e.substring(0, e.indexOf('\t')), k -> new ArrayList<>())
                .add(e.substring(e.indexOf('\t') + 1)));
        for (String name : List.of(
                "AsyncTaskExporterDown",
                "AsyncTaskExporterNotReady",
                "AsyncTaskExporterPartitionStale",
                "AsyncTaskExporterCheckpointLagGrowing",
                "AsyncTaskFailedTasks",
                "AsyncTaskStuck",
                "AsyncTaskExporterWebhookDroppingAlerts")) {
            assertThat(byName).as("a scenario for " + name).containsKey(name);
            out.append("      - eval_time: 15m\n        alertname: ")
                    .append(name)
                    .append("\n        exp_alerts:\n");
            for (String labels : byName.get(name)) {
                out.append("          - exp_labels:\n")
                        .append(labels.replace("            ", "              ")
                                .replace("          exp_annotations", "            exp_annotations"))
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(
                List.of(Path.of("scripts", "promtool.sh").toAbsolutePath().toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as("promtool " + String.join(" ", args) + ":\n" + output)
                .isZero();
        return output;
    }
}
