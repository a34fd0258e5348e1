package org.asynctask.exporter.config;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every configuration key, with its default and what it means: the one table (in the style of Debezium's
 * {@code Field}) that the unknown-key checks take their known keys from, that docs/configuration.md's key table
 * is generated from ({@link #markdownTable()}, held to it by ConfigurationDocsTest), that the template
 * config/application.properties is held to, and whose secrets the parser refuses written inline (held by
 * ExporterConfigTest). A key the parser reads and this table lacks is refused as unknown. The parser keeps its
 * own default values, and ConfigKeysDefaultsTest holds them to the ones written here.
 */
public final class ConfigKeys {
    /** Where a key lives: its name is {@code prefix + name}. */
    public enum Scope {
        GLOBAL(""),
        SOURCE("exporter.source.<name>."),
        WEBHOOK("exporter.alert.webhook.<name>.");

        final String prefix;

        Scope(String prefix) {
            this.prefix = prefix;
        }
    }

    /**
     * One row of the table: a key, or a key and its companions documented with it (a secret's {@code -file}
     * twin).
     *
     * @param names        the keys within their scope (a global key in full)
     * @param defaultText  the default as the docs give it, or {@code required}
     * @param doc          what it means, in the docs' Markdown
     * @param secret       the first key is a secret: {@code {{env:…}}} or its {@code -file} twin, never a value
     */
    public record Row(Scope scope, List<String> names, String defaultText, String doc, boolean secret) {}

    public static final List<Row> ROWS = List.of(
            global(List.of("exporter.sink"), "`file`", "where events go: `file`, `kafka` or `camel`"),
            global(
                    List.of("exporter.sink.uri"),
                    "required for `camel`",
                    "the Camel endpoint URI every event is sent to (see [Any Camel endpoint as the sink](#any-camel-endpoint-as-the-sink)); a parameter whose name holds `password`, `secret`, `token` or `passphrase` must be `{{env:…}}`"),
            global(
                    List.of("exporter.sink.batch"),
                    "`false`",
                    "with `camel`: one message per batch instead of one per event, its body the list of the events, each a map of `id`, `taskkey`, `status`, `time` and `event` (the JSON), for endpoints that write many at once (camel-sql `batch=true`: one JDBC batch, one transaction; see [archive.md](archive.md))"),
            global(List.of("exporter.output.dir"), "`data/events`", "root of the event files"),
            global(List.of("exporter.output.rotate"), "`day`", "a new event file every UTC `day` or `hour`"),
            global(
                    List.of("exporter.output.max-file-size"),
                    "`0` (none)",
                    "also a new file once the open one would pass this (`100MB`, `512KB`, bytes); a batch is never split"),
            global(List.of("exporter.output.gzip"), "`false`", "compress each closed file to `.jsonl.gz`"),
            global(
                    List.of("exporter.output.retention"),
                    "none",
                    "delete closed event files last written longer ago than this (`30d`)"),
            global(List.of("exporter.checkpoint.store"), "`file`", "`file`, or `kafka` (a compacted topic)"),
            global(
                    List.of("exporter.checkpoint.dir"),
                    "`data/checkpoints`",
                    "one checkpoint per function (a snapshot and a log of the saves since); locked while an exporter uses it"),
            global(
                    List.of("exporter.checkpoint.topic"),
                    "`async-tasks.checkpoints`",
                    "the Kafka checkpoint store's topic (created compacted if missing)"),
            global(
                    List.of("exporter.delivery"),
                    "`at-least-once`",
                    "or `exactly-once`: needs `sink=kafka` and `checkpoint.store=kafka`"),
            global(List.of("exporter.kafka.bootstrap-servers"), "required for Kafka", "`host:port[,host:port]`"),
            global(
                    List.of("exporter.kafka.topic"),
                    "`async-tasks.status-changes`",
                    "events topic (created if missing)"),
            global(
                    List.of("exporter.kafka.alert-topic"),
                    "none",
                    "also receives events whose status is in `alert-statuses`"),
            global(
                    List.of("exporter.kafka.alert-statuses"),
                    "`FAILED,EXPIRED,INVALID,DISCARDED`",
                    "normalized statuses that alert"),
            global(
                    List.of("exporter.kafka.cloudevents-mode"),
                    "`structured`",
                    "or `binary` (`ce_*` headers, data as value)"),
            global(List.of("exporter.kafka.compression"), "`lz4`", "`zstd`, `snappy`, `gzip`, `none`"),
            global(
                    List.of("exporter.kafka.delivery-timeout"),
                    "`30s`",
                    "wait for the broker before a poll fails and is retried"),
            global(
                    List.of("exporter.kafka.transactional-id"),
                    "`async-task-exporter`",
                    "exactly-once: stable per exporter instance; a restart fences the old one. In group mode each shard's producer has `<id>-<shard>` (both delivery modes: the checkpoints are written in the shard's transaction)"),
            global(
                    List.of("exporter.group.id"),
                    "none",
                    "group mode ([docs/group.md](group.md)): exporters with the same id share the functions as one Kafka consumer group; needs `exporter.checkpoint.store=kafka`"),
            global(
                    List.of("exporter.group.shards"),
                    "`12`",
                    "group mode: how many shards (the partitions of the checkpoint topic, made with that many); fixed for the life of the topic"),
            global(
                    List.of("exporter.group.session-timeout"),
                    "`10s`",
                    "with `checkpoint.store=kafka`, in both modes: how long Kafka waits for an exporter that went silent (killed, frozen, cut off) before its checkpoints go to another; shorter moves a dead one's work sooner, longer rides out longer pauses. Within the broker's `group.min.session.timeout.ms` and `group.max.session.timeout.ms` (6s and 30m by default)"),
            global(
                    List.of("exporter.kafka.properties.<name>"),
                    "none",
                    "any Kafka client property (security, SASL …) for every Kafka client of the exporter, values may use `{{env:…}}`; acks, idempotence, the serializers and the brokers stay the exporter's. Other camel-kafka options: `camel.component.kafka.<option>` (at-least-once only, [kafka.md](kafka.md))"),
            global(List.of("exporter.poll-threads"), "`4`", "functions polled at the same time"),
            global(List.of("exporter.http.connect-timeout"), "`5s`", "TCP connect timeout of every provider call"),
            global(List.of("exporter.http.response-timeout"), "`30s`", "wait for a provider's answer"),
            global(
                    List.of("exporter.retry.max-backoff"),
                    "`5m`",
                    "longest wait before retrying a failed poll; also the wait after an error that needs a fix, and the cap on a provider's `Retry-After`"),
            global(
                    List.of("exporter.circuit-breaker.failures"),
                    "`5`",
                    "failed polls in a row, over all functions of one source, that pause the whole source"),
            global(
                    List.of("exporter.circuit-breaker.open-for"),
                    "`30s`",
                    "the first pause; it doubles each time the trial poll after it fails, up to max-backoff"),
            global(
                    List.of("exporter.commit.max-events"),
                    "`5000`",
                    "a scan that catches up publishes its events and saves its checkpoint once this many events wait…"),
            global(
                    List.of("exporter.commit.max-delay"),
                    "`1s`",
                    "…or once its oldest waiting page is this old; always at the end of a scan or a poll. One fsync (or Kafka round trip, or transaction) per batch instead of per page; a crash replays at most one batch, with the same ids"),
            global(
                    List.of("exporter.metrics.port"),
                    "`9876`",
                    "port of the metrics and health server (see [Metrics and health](metrics-and-alerting.md#metrics-and-health)); 0 = any free port, -1 = none; `--metrics-port` overrides it"),
            global(List.of("exporter.metrics.host"), "`0.0.0.0`", "address that server binds"),
            global(
                    List.of("exporter.metrics.task-duration-by-function"),
                    "`false`",
                    "the task duration histogram per function too, not only per source (15 series more per function)"),
            global(
                    List.of("exporter.alert.statuses"),
                    "`FAILED,EXPIRED,INVALID,DISCARDED`",
                    "statuses whose events also go to the webhooks"),
            global(
                    List.of("exporter.alert.max-per-function", "exporter.alert.window"),
                    "`5` / `10m`",
                    "alerts per function and window; the rest in one summary at the window's end"),
            global(List.of("exporter.alert.dedup-window"), "`1h`", "an event id is alerted once within it"),
            global(
                    List.of("exporter.alert.give-up-after", "exporter.alert.queue-size"),
                    "`1h` / `1000`",
                    "retry a failing webhook this long; alerts waiting per webhook"),
            webhook(List.of("format"), "required", "`generic`, `dingtalk`, `feishu`, `wecom`, `slack`"),
            secretWebhook(List.of("url", "url-file"), "required", "a secret: `{{env:…}}` or `url-file`"),
            secretWebhook(
                    List.of("secret", "secret-file"),
                    "none",
                    "signing secret (`dingtalk`, `feishu`, `generic`): `{{env:…}}` or `secret-file`"),
            source(
                    List.of("provider"),
                    "required",
                    "`alibaba-fc3`, `alibaba-fc2`, `huawei-functiongraph` or `tencent-scf`"),
            source(
                    List.of("account"),
                    "required",
                    "account id (Alibaba: main account UID; Huawei: project id; Tencent: APPID, used in events only)"),
            source(List.of("region"), "required", "e.g. `cn-hangzhou`"),
            source(
                    List.of("functions"),
                    "required unless `discover=true`",
                    "comma-separated `name`, `name:qualifier`, `namespace/name[:qualifier]` (FC 2.0: `service/function[:qualifier]`; FunctionGraph: `package/name[:version]`, package `default` and version `latest` when left out; SCF: `namespace/name[:qualifier]`, namespace `default` when left out); without a qualifier every qualifier is listed (FC)"),
            source(
                    List.of("endpoint"),
                    "provider default",
                    "base URL; FC default `https://<account>.<region>.fc.aliyuncs.com`, FunctionGraph `https://functiongraph.<region>.myhuaweicloud.com`"),
            source(
                    List.of("rate-limit"),
                    "provider's (SCF: 20)",
                    "requests per second, shared by every source with the same provider and access key id (in group mode, by the members too: each keeps the share of the account's partitions it polls); 0 = none. The limiter counts N requests per 1.2 s, so that delays on the way never make the provider see more than N in a second"),
            source(
                    List.of("time-zone"),
                    "`Asia/Shanghai`",
                    "SCF only (refused for others): zone of the API's time strings — **undocumented by Tencent**; Beijing time is the convention, verify it against your account"),
            secretSource(
                    List.of("auth-token", "auth-token-file"),
                    "none",
                    "FunctionGraph only: an IAM token sent as `X-Auth-Token` instead of AK/SK signing (then no access key is needed)"),
            source(
                    List.of("signature"),
                    "see meaning",
                    "FC 2.0 only: `acs3` or `fc` (`Authorization: FC ak:sig`); default `acs3` for `*.aliyuncs.com` endpoints, `fc` otherwise"),
            source(
                    List.of("discover"),
                    "`false`",
                    "find the functions instead of listing them: FC 2.0 ListStatefulAsyncInvocationFunctions, FunctionGraph ListFunctions, SCF ListNamespaces + ListFunctions"),
            source(
                    List.of("discovery-interval"),
                    "`10m`",
                    "how often discovery runs again; new functions are polled at once, gone ones no longer (their checkpoints stay)"),
            source(
                    List.of("include", "exclude"),
                    "all / none",
                    "comma-separated globs on `service/function` that discovery keeps / skips, e.g. `media/*`, `*/tmp-*`"),
            source(List.of("access-key-id"), "required", "access key id"),
            secretSource(
                    List.of("access-key-secret", "access-key-secret-file"),
                    "required",
                    "the secret, from `{{env:…}}` or a file"),
            secretSource(
                    List.of("security-token", "security-token-file"), "none", "STS token for temporary credentials"),
            source(List.of("interval"), "`30s`", "poll interval of each function"),
            source(List.of("page-size"), "`100`", "tasks per request (FC: 1..100, FunctionGraph: 1..500)"),
            source(
                    List.of("include-payload"),
                    "`false`",
                    "also publish task payloads and results (they can hold personal data)"),
            source(List.of("initial-lookback"), "`1h`", "how far back the first scan of a function starts"),
            source(
                    List.of("safety-lag"),
                    "`10s`",
                    "a scan always starts at least this far before the previous one ended"),
            source(
                    List.of("rescan-window"),
                    "`2m`",
                    "open tasks younger than this may hold the next scan back to re-list them (where at least 1 in 10 tasks is open); the others are checked by status"),
            source(List.of("max-open-age"), "`48h`", "a task open longer than this is no longer tracked (logged)"),
            source(
                    List.of("old-task-check-interval"),
                    "`1m`; `10m` for `tencent-scf` (or `interval`, if longer)",
                    "open tasks older than `rescan-window` are checked by status in turns, a slice per poll, so that each is checked at least this often; at most 1 ÷ (this ÷ `interval`) of them per poll. Set it to `interval` to check all of them on every poll. SCF lists the tasks that ended since the last poll by their end time (`EndTimeInterval`) on every poll, so for it these checks are only a safety net"),
            source(
                    List.of("max-lookups-per-poll"),
                    "`50`",
                    "look-ups by id of old open tasks that left their status, per poll; the others are looked up at the next polls, taking turns"),
            source(
                    List.of("max-pages-per-poll"),
                    "`50`",
                    "pages per poll before other functions get a turn; the scan resumes at once (adaptive)"),
            source(
                    List.of("adaptive"),
                    "`true`",
                    "while a scan catches up (a poll stopped at `max-pages-per-poll`, pages still full), poll again at once, paced by `rate-limit`; `false`: wait `interval` between polls always"));

    private ConfigKeys() {}

    private static Row global(List<String> names, String defaultText, String doc) {
        return new Row(Scope.GLOBAL, names, defaultText, doc, false);
    }

    private static Row source(List<String> names, String defaultText, String doc) {
        return new Row(Scope.SOURCE, names, defaultText, doc, false);
    }

    private static Row secretSource(List<String> names, String defaultText, String doc) {
        return new Row(Scope.SOURCE, names, defaultText, doc, true);
    }

    private static Row webhook(List<String> names, String defaultText, String doc) {
        return new Row(Scope.WEBHOOK, names, defaultText, doc, false);
    }

    private static Row secretWebhook(List<String> names, String defaultText, String doc) {
        return new Row(Scope.WEBHOOK, names, defaultText, doc, true);
    }

    /** The keys of a scope, within it; for GLOBAL, in full, but the families named by a {@code <name>} part. */
    public static List<String> names(Scope scope) {
        return ROWS.stream()
                .filter(r -> r.scope() == scope)
                .flatMap(r -> r.names().stream())
                .filter(n -> !n.contains("<name>"))
                .toList();
    }

    /** The keys, in full, that are secrets. */
    public static List<String> secrets() {
        return ROWS.stream()
                .filter(Row::secret)
                .map(r -> r.scope().prefix + r.names().get(0))
                .toList();
    }

    /**
     * The key table of docs/configuration.md. Source keys after the first are written {@code ….key}, short for
     * {@code exporter.source.<name>.key}.
     */
    public static String markdownTable() {
        List<String> lines = new ArrayList<>(List.of("| key | default | meaning |", "|---|---|---|"));
        boolean sourceNamed = false;
        for (Row r : ROWS) {
            String prefix = r.scope() == Scope.SOURCE && sourceNamed ? "…." : r.scope().prefix;
            sourceNamed |= r.scope() == Scope.SOURCE;
            List<String> keys = Stream.concat(
                            Stream.of(prefix + r.names().get(0)),
                            r.names().stream()
                                    .skip(1)
                                    .map(n -> (r.scope() == Scope.SOURCE ? "…." : r.scope().prefix) + n))
                    .map(k -> "`" + k + "`")
                    .toList();
            lines.add("| " + String.join(" / ", keys) + " | " + r.defaultText() + " | " + r.doc() + " |");
        }
        return String.join("\n", lines) + "\n";
    }
}
