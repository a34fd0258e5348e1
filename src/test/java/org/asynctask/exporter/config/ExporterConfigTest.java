package org.asynctask.exporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.asynctask.exporter.alert.AlertSettings;
import org.asynctask.exporter.alert.Webhook;
import org.asynctask.exporter.alert.WebhookFormat;
import org.asynctask.exporter.app.Providers;
import org.asynctask.exporter.kafka.GroupSettings;
import org.asynctask.exporter.provider.DiscoverySettings;
import org.asynctask.exporter.provider.FunctionRef;
import org.asynctask.exporter.provider.ProviderCatalog;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.SourceRules;
import org.asynctask.exporter.secret.Redaction;
import org.asynctask.exporter.sink.ArchiveSettings;
import org.asynctask.exporter.task.TaskStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExporterConfigTest {
    private static final String P = "exporter.source.main.";
    private final Map<String, String> env = new HashMap<>(Map.of("FC_AK", "LTAIkey", "FC_SECRET", "s3cr3t-value"));

    @TempDir
    Path dir;

    private Map<String, String> valid() {
        Map<String, String> m = new HashMap<>();
        m.put(P + "provider", "alibaba-fc3");
        m.put(P + "account", "123");
        m.put(P + "region", "cn-hangzhou");
        m.put(P + "functions", "orders, reports:prod");
        m.put(P + "access-key-id", "{{env:FC_AK}}");
        m.put(P + "access-key-secret", "{{env:FC_SECRET}}");
        return m;
    }

    private ExporterConfig parse(Map<String, String> raw) {
        return ExporterConfig.parse(raw, env::get, Providers.catalog());
    }

    @Test
    void readsASourceWithDefaults() {
        SourceConfig s = parse(valid()).sources().get(0);
        assertThat(s.name()).isEqualTo("main");
        assertThat(s.functions())
                .containsExactly(new FunctionRef(null, "orders", null), new FunctionRef(null, "reports", "prod"));
        assertThat(s.credentials().id()).isEqualTo("LTAIkey");
        assertThat(s.credentials().secret().reveal()).isEqualTo("s3cr3t-value");
        assertThat(s.pageSize()).isEqualTo(100);
        assertThat(s.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.includePayload()).isFalse();
        assertThat(s.endpoint()).isNull();
    }

    @Test
    void secretsNeverPrint() {
        SourceConfig s = parse(valid()).sources().get(0);
        assertThat(s.toString()).doesNotContain("s3cr3t-value");
        assertThat(s.credentials().toString()).doesNotContain("s3cr3t-value");
    }

    @Test
    void readsASecretFromAMountedFile() throws Exception {
        Path secret = dir.resolve("secret");
        Files.writeString(secret, "from-file\n");
        Map<String, String> m = valid();
        m.remove(P + "access-key-secret");
        m.put(P + "access-key-secret-file", secret.toString());
        assertThat(parse(m).sources().get(0).credentials().secret().reveal()).isEqualTo("from-file");
    }

    @Test
    void everyBadValueNamesItsKey() {
        assertError(P + "interval", "5x", P + "interval: '5x' is not a duration");
        assertError(P + "page-size", "500", P + "page-size: 500 is out of range 1..100");
        assertError(P + "page-size", "ten", P + "page-size: 'ten' is not a whole number");
        assertError(P + "provider", "gcp", P + "provider: unknown provider 'gcp'");
        assertError(P + "functions", "a/", P + "functions: 'a/' is not a function");
        assertError(P + "endpoint", "ftp://x", P + "endpoint: 'ftp://x' is not a base URL");
        assertError(P + "include-payload", "yes", P + "include-payload: 'yes' is not true or false");
        assertError(P + "intervall", "5s", P + "intervall: unknown source key 'intervall'");
        assertError("exporter.poll-thread", "2", "exporter.poll-thread: unknown key");
        assertError("exporter.sink", "s3", "exporter.sink: 's3' is not one of file, kafka");
        assertError(P + "interval", "0s", P + "interval: must be more than 0");
        assertError("exporter.output.rotate", "week", "exporter.output.rotate: 'week' is not one of day, hour");
        assertError("exporter.output.max-file-size", "lots", "exporter.output.max-file-size: 'LOTS' is not a size");
        assertError("exporter.alert.window", "0s", "exporter.alert.window: must be positive");
        assertError("exporter.alert.statuses", "FAILED,OOPS", "exporter.alert.statuses: 'OOPS' is not a status");
        assertError(
                "exporter.alert.webhook.ops.colour",
                "red",
                "exporter.alert.webhook.ops.colour: expected exporter.alert.webhook.<name>.<key>");
    }

    @Test
    void readsArchiveAndWebhookSettings() {
        Map<String, String> m = valid();
        m.put("exporter.output.rotate", "hour");
        m.put("exporter.output.max-file-size", "64MB");
        m.put("exporter.output.gzip", "true");
        m.put("exporter.output.retention", "30d");
        m.put("exporter.alert.webhook.ops.format", "dingtalk");
        m.put("exporter.alert.webhook.ops.url", "{{env:DING_URL}}");
        m.put("exporter.alert.webhook.ops.secret", "{{env:DING_SECRET}}");
        env.put("DING_URL", "https://oapi.dingtalk.com/robot/send?access_token=tok-123456789");
        env.put("DING_SECRET", "SECsigning-secret-value");
        ExporterConfig c = parse(m);
        assertThat(c.archive()).isEqualTo(new ArchiveSettings(true, 64L << 20, true, Duration.ofDays(30)));
        Webhook ops = c.alerts().webhooks().get(0);
        assertThat(ops.format()).isEqualTo(WebhookFormat.DINGTALK);
        assertThat(ops.toString()).doesNotContain("tok-123456789").doesNotContain("SECsigning-secret-value");
        assertThat(c.alerts().statuses()).containsExactlyInAnyOrderElementsOf(AlertSettings.DEFAULT_STATUSES);

        m.put("exporter.alert.webhook.ops.format", "teams");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith("exporter.alert.webhook.ops.format: 'teams' is not generic, dingtalk");
        m.put("exporter.alert.webhook.ops.format", "slack");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith("exporter.alert.webhook.ops.secret: slack webhooks have no signing");
        m.remove("exporter.alert.webhook.ops.secret");
        m.remove("exporter.alert.webhook.ops.url");
        assertThatThrownBy(() -> parse(m)).hasMessageStartingWith("exporter.alert.webhook.ops.url: is required");
    }

    @Test
    void groupModeNeedsTheKafkaStoreAndShardsNeedAGroup() {
        Map<String, String> m = valid();
        m.put("exporter.group.id", "exporters");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith("exporter.group.id: group mode needs exporter.checkpoint.store=kafka");
        m.put("exporter.checkpoint.store", "kafka");
        m.put("exporter.kafka.bootstrap-servers", "127.0.0.1:9092");
        assertThat(parse(m).kafka().group())
                .isEqualTo(new GroupSettings(
                        "exporters", GroupSettings.DEFAULT_SHARDS, GroupSettings.DEFAULT_SESSION_TIMEOUT));
        m.put("exporter.group.shards", "0");
        assertThatThrownBy(() -> parse(m)).hasMessageStartingWith("exporter.group.shards:");
        m.put("exporter.group.shards", "24");
        assertThat(parse(m).kafka().group().shards()).isEqualTo(24);
        m.remove("exporter.group.id");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith("exporter.group.shards: is only used with exporter.group.id");
        m.remove("exporter.group.shards");
        assertThat(parse(m).kafka().group()).isEqualTo(GroupSettings.SINGLE);
    }

    @Test
    void theSessionTimeoutIsTheKafkaStoresInBothModesWithinBounds() {
        Map<String, String> m = valid();
        m.put("exporter.group.session-timeout", "6s");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith(
                        "exporter.group.session-timeout: is only used with exporter.checkpoint.store=kafka");
        m.put("exporter.checkpoint.store", "kafka");
        m.put("exporter.kafka.bootstrap-servers", "127.0.0.1:9092");
        assertThat(parse(m).kafka().group()).isEqualTo(GroupSettings.single(Duration.ofSeconds(6)));
        m.put("exporter.group.id", "exporters");
        assertThat(parse(m).kafka().group())
                .isEqualTo(new GroupSettings("exporters", GroupSettings.DEFAULT_SHARDS, Duration.ofSeconds(6)));
        for (String outside : List.of("500ms", "31m")) {
            m.put("exporter.group.session-timeout", outside);
            assertThatThrownBy(() -> parse(m))
                    .hasMessage("exporter.group.session-timeout: must be between 1s and 30m: " + outside);
        }
    }

    @Test
    void kafkaNeedsItsBootstrapServersAndExactlyOnceNeedsKafkaOnBothEnds() {
        Map<String, String> m = valid();
        m.put("exporter.sink", "kafka");
        assertThatThrownBy(() -> parse(m)).hasMessageStartingWith("exporter.kafka.bootstrap-servers: is required");
        m.put("exporter.kafka.bootstrap-servers", "127.0.0.1:9092");
        m.put("exporter.delivery", "exactly-once");
        assertThatThrownBy(() -> parse(m)).hasMessageStartingWith("exporter.delivery: exactly-once needs");
        m.put("exporter.checkpoint.store", "kafka");
        m.put("exporter.kafka.alert-topic", "alerts");
        m.put("exporter.kafka.properties.security.protocol", "PLAINTEXT");
        ExporterConfig c = parse(m);
        assertThat(c.exactlyOnce()).isTrue();
        assertThat(c.kafka().topic()).isEqualTo("async-tasks.status-changes");
        assertThat(c.kafka().checkpointTopic()).isEqualTo("async-tasks.checkpoints");
        assertThat(c.kafka().alertStatuses())
                .containsExactlyInAnyOrder(
                        TaskStatus.FAILED, TaskStatus.EXPIRED,
                        TaskStatus.INVALID, TaskStatus.DISCARDED);
        assertThat(c.kafka().clientProperties()).containsEntry("security.protocol", "PLAINTEXT");
        m.put("exporter.kafka.properties.sasl.jaas.config", "{{env:FC_SECRET}}");
        assertThat(parse(m).toString()).contains("sasl.jaas.config").doesNotContain("s3cr3t-value");
        m.put("exporter.kafka.cloudevents-mode", "both");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith("exporter.kafka.cloudevents-mode: 'both' is not one of structured, binary");
        m.put("exporter.kafka.cloudevents-mode", "binary");
        m.put("exporter.kafka.alert-statuses", "FAILED,BROKEN");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith("exporter.kafka.alert-statuses: 'BROKEN' is not a status");
    }

    @Test
    void fc2FunctionsNeedTheirServiceUnlessDiscovered() {
        Map<String, String> m = valid();
        m.put(P + "provider", "alibaba-fc2");
        assertThatThrownBy(() -> parse(m)).hasMessageStartingWith(P + "functions: 'orders' needs its service");
        m.put(P + "functions", "billing/orders, billing/reports:prod");
        assertThat(parse(m).sources().get(0).functions())
                .containsExactly(
                        new FunctionRef("billing", "orders", null), new FunctionRef("billing", "reports", "prod"));
        m.remove(P + "functions");
        assertThatThrownBy(() -> parse(m)).hasMessageStartingWith(P + "functions: is required");
        m.put(P + "discover", "true");
        m.put(P + "include", "media/*, billing/report*");
        m.put(P + "exclude", "*/tmp-*");
        SourceConfig s = parse(m).sources().get(0);
        assertThat(s.functions()).isEmpty();
        assertThat(s.discovery().enabled()).isTrue();
        assertThat(s.discovery().interval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(s.discovery().include()).containsExactly("media/*", "billing/report*");
        m.put(P + "signature", "hmac");
        assertThatThrownBy(() -> parse(m)).hasMessageStartingWith(P + "signature: 'hmac' is not one of acs3, fc");
    }

    @Test
    void aProvidersOwnKeysAreRefusedForTheOthers() {
        Map<String, String> m = valid();
        m.put(P + "signature", "acs3");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith(P + "signature: only alibaba-fc2 sources choose a signing scheme");
        m.remove(P + "signature");
        m.put(P + "time-zone", "UTC");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith(P + "time-zone: only tencent-scf sources read time strings without a zone");
        m.put(P + "provider", "tencent-scf");
        assertThat(parse(m).sources().get(0).timeZone()).isEqualTo(ZoneId.of("UTC"));
        m.put(P + "provider", "gcp");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith(P + "provider: unknown provider 'gcp' "
                        + "(known: alibaba-fc3, alibaba-fc2, huawei-functiongraph, tencent-scf)");
    }

    /** A fifth provider's rules come with it: the validation asks them, it names no provider. */
    @Test
    void aNewProvidersRulesDriveTheValidation() {
        ProviderCatalog withAcme = new ProviderCatalog() {
            @Override
            public List<String> ids() {
                return List.of("acme-faas");
            }

            @Override
            public SourceRules rules(String id) {
                return id.equals("acme-faas") ? SourceRules.of(25, true).namespacedFunctions() : null;
            }
        };
        Map<String, String> m = valid();
        m.put(P + "provider", "acme-faas");
        assertThatThrownBy(() -> ExporterConfig.parse(m, env::get, withAcme))
                .hasMessageStartingWith(P + "functions: 'orders' needs its service");
        m.put(P + "functions", "shop/orders");
        SourceConfig s = ExporterConfig.parse(m, env::get, withAcme).sources().get(0);
        assertThat(s.pageSize()).as("its largest page").isEqualTo(25);
        assertThat(s.scan().checkTurns())
                .as("its ends listed by end time: old tasks checked every 10 min, a poll every 30 s")
                .isEqualTo(20);
        m.put(P + "page-size", "26");
        assertThatThrownBy(() -> ExporterConfig.parse(m, env::get, withAcme)).hasMessageStartingWith(P + "page-size:");
    }

    @Test
    void huaweiTakesAnIamTokenInsteadOfAnAccessKey() {
        Map<String, String> m = valid();
        m.put(P + "provider", "huawei-functiongraph");
        m.remove(P + "access-key-id");
        m.remove(P + "access-key-secret");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith(P + "access-key-id: is required (the access key id, or auth-token instead)");
        m.put(P + "auth-token", "{{env:FC_SECRET}}");
        SourceConfig s = parse(m).sources().get(0);
        assertThat(s.authToken().reveal()).isEqualTo("s3cr3t-value");
        assertThat(s.credentials()).isNull();
        assertThat(s.toString()).doesNotContain("s3cr3t-value");
        Map<String, String> alibaba = valid();
        alibaba.put(P + "auth-token", "x");
        assertThatThrownBy(() -> parse(alibaba))
                .hasMessageStartingWith(P + "auth-token: only huawei-functiongraph sources use a token");
    }

    @Test
    void oldTasksAreCheckedInTurnsSpreadOverTheirCheckInterval() {
        Map<String, String> m = valid();
        m.put(P + "interval", "5s");
        assertThat(parse(m).sources().get(0).scan().checkTurns())
                .as("default 1m: 12 polls of 5 s")
                .isEqualTo(12);
        m.put(P + "interval", "2m");
        assertThat(parse(m).sources().get(0).scan().checkTurns())
                .as("default: the interval when it is longer")
                .isEqualTo(1);
        m.put(P + "old-task-check-interval", "30s");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith(P + "old-task-check-interval: is shorter than interval (2m)");
        Map<String, String> scf = valid();
        scf.put(P + "provider", "tencent-scf");
        scf.put(P + "interval", "5s");
        assertThat(parse(scf).sources().get(0).scan().checkTurns())
                .as("SCF lists ends by end time, so its checks in turns default to 10m: 120 polls of 5 s")
                .isEqualTo(120);
    }

    @Test
    void rateLimitAndTimeZoneAreCheckedAndDefaulted() {
        Map<String, String> m = valid();
        SourceConfig defaults = parse(m).sources().get(0);
        assertThat(defaults.rateLimit()).as("the provider's default applies").isEqualTo(-1);
        assertThat(defaults.timeZone()).isEqualTo(ZoneId.of("Asia/Shanghai"));
        m.put(P + "provider", "tencent-scf");
        m.put(P + "rate-limit", "10");
        m.put(P + "time-zone", "UTC");
        SourceConfig s = parse(m).sources().get(0);
        assertThat(s.rateLimit()).isEqualTo(10);
        assertThat(s.timeZone()).isEqualTo(ZoneId.of("UTC"));
        assertThat(s.rateLimitKey()).isEqualTo("tencent-scf:LTAIkey");
        m.put(P + "time-zone", "Mars/Olympus");
        assertThatThrownBy(() -> parse(m)).hasMessageStartingWith(P + "time-zone: 'Mars/Olympus' is not a time zone");
        m.put(P + "time-zone", "UTC");
        m.put(P + "rate-limit", "-5");
        assertThatThrownBy(() -> parse(m)).hasMessageStartingWith(P + "rate-limit: -5 is out of range 0..100000");
    }

    @Test
    void discoveryPatternsAreGlobsOnServiceAndFunction() {
        DiscoverySettings d = new DiscoverySettings(
                true, Duration.ofMinutes(1), List.of("media/*", "billing/report*"), List.of("*/tmp-*"));
        assertThat(d.accepts(new FunctionRef("media", "transcode", null))).isTrue();
        assertThat(d.accepts(new FunctionRef("billing", "reports", "prod"))).isTrue();
        assertThat(d.accepts(new FunctionRef("billing", "invoice", null))).isFalse();
        assertThat(d.accepts(new FunctionRef("media", "tmp-x", null)))
                .as("excluded wins")
                .isFalse();
        assertThat(d.accepts(new FunctionRef("media.x", "a", null)))
                .as("a dot is not a wildcard")
                .isFalse();
        assertThat(DiscoverySettings.OFF.accepts(new FunctionRef("any", "thing", null)))
                .as("no include: everything")
                .isTrue();
    }

    @Test
    void retryAndTimeoutKeysAreChecked() {
        assertError(
                "exporter.http.response-timeout", "soon", "exporter.http.response-timeout: 'soon' is not a duration");
        assertError("exporter.http.connect-timeout", "0s", "exporter.http.connect-timeout: must be more than 0");
        assertError("exporter.retry.max-backoff", "-1m", "exporter.retry.max-backoff:");
        assertError(
                "exporter.circuit-breaker.failures",
                "0",
                "exporter.circuit-breaker.failures: 0 is out of range 1..1000");
        assertError(
                "exporter.circuit-breaker.open-for", "30", "exporter.circuit-breaker.open-for: '30' is not a duration");
        Map<String, String> m = valid();
        m.put("exporter.circuit-breaker.failures", "3");
        m.put("exporter.circuit-breaker.open-for", "1m");
        assertThat(parse(m).retry()).isEqualTo(new RetryPolicy(Duration.ofMinutes(5), 3, Duration.ofMinutes(1)));
    }

    @Test
    void aSecretFileThatIsMissingOrEmptyIsNamed(@TempDir Path dir) throws Exception {
        Map<String, String> m = valid();
        m.remove(P + "access-key-secret");
        m.put(P + "access-key-secret-file", dir.resolve("nowhere").toString());
        assertThatThrownBy(() -> parse(m))
                .isInstanceOf(ConfigException.class)
                .hasMessage(P + "access-key-secret-file: cannot read secret file " + dir.resolve("nowhere")
                        + ": NoSuchFileException");
        m.put(P + "access-key-secret-file", dir.toString());
        assertThatThrownBy(() -> parse(m))
                .as("a directory where the file should be")
                .hasMessage(P + "access-key-secret-file: cannot read secret file " + dir + ": Is a directory");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        m.put(P + "access-key-secret-file", empty.toString());
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith(P + "access-key-secret-file: file " + empty + " is empty");
        m.put(P + "access-key-secret", "{{env:FC_SECRET}}");
        assertThatThrownBy(() -> parse(m)).hasMessageContaining("not both");
    }

    @Test
    void missingValuesNameTheirKey() {
        Map<String, String> m = valid();
        m.remove(P + "region");
        assertThatThrownBy(() -> parse(m)).hasMessageStartingWith(P + "region: is required");
        Map<String, String> noSecret = valid();
        noSecret.remove(P + "access-key-secret");
        assertThatThrownBy(() -> parse(noSecret)).hasMessageStartingWith(P + "access-key-secret: is required");
        assertThatThrownBy(() -> parse(Map.of())).hasMessageContaining("no source is configured");
    }

    @Test
    void aMissingEnvironmentVariableNamesKeyAndVariableButNoValue() {
        env.remove("FC_SECRET");
        assertThatThrownBy(() -> parse(valid()))
                .isInstanceOf(ConfigException.class)
                .hasMessage(P + "access-key-secret: environment variable FC_SECRET is not set");
    }

    @Test
    void theShippedConfigurationIsValidOnceItsVariablesAreSet() {
        Path shipped = Path.of("config/application.properties");
        assertThat(shipped).exists();
        Map<String, String> vars =
                Map.of("FC3_ACCOUNT_ID", "123", "FC3_ACCESS_KEY_ID", "LTAI", "FC3_ACCESS_KEY_SECRET", "x");
        Properties p = new Properties();
        try (var r = Files.newBufferedReader(shipped)) {
            p.load(r);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        Map<String, String> raw = new HashMap<>();
        p.stringPropertyNames().forEach(k -> raw.put(k, p.getProperty(k)));
        ExporterConfig config = ExporterConfig.parse(raw, vars::get, Providers.catalog());
        assertThat(config.sources()).isNotEmpty();
        assertThatThrownBy(() -> ExporterConfig.parse(raw, k -> null, Providers.catalog()))
                .hasMessageContaining("environment variable");
    }

    @Test
    void aSecretWrittenInTheConfigurationIsRefusedNamingTheKeyAndTheTwoWaysThatWork() {
        Map<String, String> huawei = new HashMap<>(valid());
        huawei.put(P + "provider", "huawei-functiongraph");
        huawei.remove(P + "access-key-id");
        huawei.remove(P + "access-key-secret");
        Map<String, String> webhook = new HashMap<>(valid());
        webhook.put("exporter.alert.webhook.ops.format", "dingtalk");
        env.put("HOOK_URL", "https://oapi.dingtalk.com/robot/send?access_token=t");
        webhook.put("exporter.alert.webhook.ops.url", "{{env:HOOK_URL}}");
        List<Map.Entry<Map<String, String>, String>> cases = List.of(
                Map.entry(valid(), P + "access-key-secret"),
                Map.entry(valid(), P + "security-token"),
                Map.entry(huawei, P + "auth-token"),
                Map.entry(webhook, "exporter.alert.webhook.ops.url"),
                Map.entry(webhook, "exporter.alert.webhook.ops.secret"));
        for (var c : cases) {
            Map<String, String> m = new HashMap<>(c.getKey());
            m.put(c.getValue(), "the-real-secret-9f8e");
            assertThatThrownBy(() -> parse(m))
                    .as(c.getValue())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(c.getValue() + ": is a secret and may not be written in the configuration")
                    .hasMessageContaining("{{env:VARIABLE}}")
                    .hasMessageContaining(c.getValue() + "-file")
                    .message()
                    .doesNotContain("the-real-secret-9f8e");
        }
        assertThat(cases.stream()
                        .map(c -> c.getValue()
                                .replace(P, "exporter.source.<name>.")
                                .replace("exporter.alert.webhook.ops.", "exporter.alert.webhook.<name>."))
                        .toList())
                .as("every key the table of keys marks secret, tried")
                .containsExactlyInAnyOrderElementsOf(ConfigKeys.secrets());
        // A reference with text around it is a value written in the configuration too.
        Map<String, String> m = valid();
        m.put(P + "access-key-secret", "x{{env:FC_SECRET}}");
        assertThatThrownBy(() -> parse(m)).hasMessageStartingWith(P + "access-key-secret: is a secret");
    }

    @Test
    void kafkaPasswordsComeFromTheEnvironmentAndTheBootstrapServersAreHostAndPort() {
        Map<String, String> m = valid();
        m.put("exporter.sink", "kafka");
        m.put("exporter.kafka.bootstrap-servers", "127.0.0.1:9092");
        for (String property :
                List.of("sasl.jaas.config", "ssl.key.password", "ssl.keystore.password", "ssl.truststore.password")) {
            Map<String, String> inline = new HashMap<>(m);
            inline.put(
                    "exporter.kafka.properties." + property,
                    "org.apache.kafka.common.security.plain.PlainLoginModule required password=\"pw-1234\";");
            assertThatThrownBy(() -> parse(inline))
                    .as(property)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("exporter.kafka.properties." + property + ": is a secret")
                    .hasMessageContaining("{{env:VARIABLE}}")
                    .message()
                    .doesNotContain("pw-1234");
        }
        m.put("exporter.kafka.properties.ssl.key.password", "{{env:FC_SECRET}}");
        assertThat(parse(m).kafka().clientProperties()).containsEntry("ssl.key.password", "s3cr3t-value");

        for (String bad : List.of("localhost", "http://localhost:9092", "a:9092,b", "a:9092;b:9092", "a: 9092")) {
            m.put("exporter.kafka.bootstrap-servers", bad);
            assertThatThrownBy(() -> parse(m))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(
                            "exporter.kafka.bootstrap-servers: '" + bad + "' is not host:port[,host:port]");
        }
        m.put("exporter.kafka.bootstrap-servers", "kafka-1.internal:9092,10.0.0.2:9093,[::1]:9094");
        assertThat(parse(m).kafka().bootstrapServers()).isEqualTo("kafka-1.internal:9092,10.0.0.2:9093,[::1]:9094");
    }

    @Test
    void theCamelSinkNeedsItsUriAndTakesItsSecretsFromTheEnvironment() {
        Map<String, String> m = valid();
        m.put("exporter.sink", "camel");
        assertThatThrownBy(() -> parse(m)).hasMessageStartingWith("exporter.sink.uri: is required");
        m.put("exporter.sink.uri", "sql:insert into events values (:#id)?dataSource=#archive&password=pw-1234");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith("exporter.sink.uri: its parameter password is a secret")
                .hasMessageContaining("{{env:VARIABLE}}")
                .message()
                .doesNotContain("pw-1234");
        m.put(
                "exporter.sink.uri",
                "sql:insert into events values (:#id)?dataSource=#archive&password={{env:FC_SECRET}}");
        ExporterConfig config = parse(m);
        assertThat(config.sink()).isEqualTo(SinkKind.CAMEL);
        assertThat(config.sinkBatch()).as("a message per event unless asked").isFalse();
        assertThat(config.sinkUri()).endsWith("&password=s3cr3t-value");
        assertThat(Redaction.scrub("failed: " + config.sinkUri())).doesNotContain("s3cr3t-value");

        m.put("camel.beans.archive.password", "pw-1234");
        assertThatThrownBy(() -> parse(m))
                .as("a Camel key that carries a secret")
                .hasMessageStartingWith("camel.beans.archive.password: is a secret")
                .message()
                .doesNotContain("pw-1234");
        m.put("camel.beans.archive.password", "{{env:ARCHIVE_DB_PASSWORD}}");
        assertThat(parse(m).camelProperties())
                .containsEntry("camel.beans.archive.password", "{{env:ARCHIVE_DB_PASSWORD}}");
        m.put("camel.component.kafka.sasl-jaas-config", "PlainLoginModule required password=\"pw-1234\";");
        assertThatThrownBy(() -> parse(m))
                .as("camel-kafka's SASL configuration carries the password")
                .hasMessageStartingWith("camel.component.kafka.sasl-jaas-config: is a secret")
                .message()
                .doesNotContain("pw-1234");
        m.put("camel.component.kafka.sasl-jaas-config", "{{env:KAFKA_JAAS}}");
        assertThat(parse(m).camelProperties())
                .containsEntry("camel.component.kafka.sasl-jaas-config", "{{env:KAFKA_JAAS}}");

        m.put("exporter.sink.batch", "yes");
        assertThatThrownBy(() -> parse(m)).hasMessageStartingWith("exporter.sink.batch: ");
        m.put("exporter.sink.batch", "true");
        assertThat(parse(m).sinkBatch()).isTrue();

        m.put("exporter.sink", "file");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith("exporter.sink.uri: is only used with exporter.sink=camel");
        m.remove("exporter.sink.uri");
        assertThatThrownBy(() -> parse(m))
                .hasMessageStartingWith("exporter.sink.batch: is only used with exporter.sink=camel");
        assertError("exporter.sink", "jdbc", "exporter.sink: 'jdbc' is not one of file, kafka, camel");
    }

    private void assertError(String key, String value, String message) {
        Map<String, String> m = valid();
        m.put(key, value);
        assertThatThrownBy(() -> parse(m))
                .as(key + "=" + value)
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
    }
}
