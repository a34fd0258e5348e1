package org.asynctask.exporter.simulator;

import static org.asynctask.exporter.simulator.SimulatorServer.ACCOUNT;
import static org.asynctask.exporter.simulator.SimulatorServer.ALIBABA_KEY_ID;
import static org.asynctask.exporter.simulator.SimulatorServer.FC2_SERVICE;
import static org.asynctask.exporter.simulator.SimulatorServer.HUAWEI_AK;
import static org.asynctask.exporter.simulator.SimulatorServer.HUAWEI_PROJECT;
import static org.asynctask.exporter.simulator.SimulatorServer.HUAWEI_REGION;
import static org.asynctask.exporter.simulator.SimulatorServer.REGION;
import static org.asynctask.exporter.simulator.SimulatorServer.SCF_NAMESPACE;
import static org.asynctask.exporter.simulator.SimulatorServer.TENCENT_APP_ID;
import static org.asynctask.exporter.simulator.SimulatorServer.TENCENT_REGION;
import static org.asynctask.exporter.simulator.SimulatorServer.TENCENT_SECRET_ID;
import static org.asynctask.exporter.simulator.SimulatorServer.TENCENT_ZONE;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.asynctask.exporter.provider.fc2.Fc2Provider;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.provider.huawei.FunctionGraphProvider;
import org.asynctask.exporter.provider.tencent.ScfProvider;

/** The exporter configurations the simulator writes for {@code run} against it: the demo's, and a large account's. */
final class SimulatorConfigs {
    /** The demo secret files, one per provider. */
    record Secrets(Path alibaba, Path huawei, Path tencent) {}

    private SimulatorConfigs() {}

    /** One of the simulator's accounts as a source names it: provider, account, region, demo key, its secret's file. */
    private record Account(String provider, String account, String region, String keyId, Path secret) {
        Account withKey(String id) {
            return new Account(provider, account, region, id, secret);
        }
    }

    private static Account fc3(Secrets s) {
        return new Account(Fc3Provider.ID, ACCOUNT, REGION, ALIBABA_KEY_ID, s.alibaba());
    }

    private static Account fc2(Secrets s) {
        return new Account(Fc2Provider.ID, ACCOUNT, REGION, ALIBABA_KEY_ID, s.alibaba());
    }

    private static Account huawei(Secrets s) {
        return new Account(FunctionGraphProvider.ID, HUAWEI_PROJECT, HUAWEI_REGION, HUAWEI_AK, s.huawei());
    }

    private static Account tencent(Secrets s) {
        return new Account(ScfProvider.ID, TENCENT_APP_ID, TENCENT_REGION, TENCENT_SECRET_ID, s.tencent());
    }

    /** The demo's pace: every 2 s, a second of safety lag, a re-scan window of 20 s. */
    private static final String[] DEMO_PACE = {"interval", "2s", "safety-lag", "1s", "rescan-window", "20s"};

    static String demo(Path dataDir, String baseUrl, Secrets secrets) {
        StringBuilder out = new StringBuilder("""
                # Written by the simulator: a configuration for `run` against the local simulators.
                # The credentials are the simulator's demo credentials; they open nothing else.
                exporter.output.dir=%1$s/events
                exporter.checkpoint.dir=%1$s/checkpoints
                """.formatted(slashes(dataDir)));
        source(out, baseUrl, "fc3-demo", null, fc3(secrets), "functions", "orders,thumbnails,reports:prod");
        source(
                out,
                baseUrl,
                "fc2-billing",
                "FC 2.0, functions listed, FC signature (the default for non-Alibaba endpoints).",
                fc2(secrets),
                "functions",
                "billing/invoice,billing/refund");
        source(
                out,
                baseUrl,
                "fc2-media",
                "FC 2.0, functions discovered (only service media), ACS3 signature.",
                fc2(secrets),
                "discover",
                "true",
                "include",
                "media/*",
                "discovery-interval",
                "10s",
                "signature",
                "acs3");
        source(
                out,
                baseUrl,
                "huawei-demo",
                "Huawei FunctionGraph, AK/SK signing. The look-back covers tasks started two hours ago.",
                huawei(secrets),
                "functions",
                "default/resize,default/notify",
                "initial-lookback",
                "3h");
        source(
                out,
                baseUrl,
                "tencent-demo",
                "Tencent SCF, TC3 signing, at most 20 requests per second for this SecretId (the default).",
                tencent(secrets),
                "functions",
                "default/report,jobs/etl",
                "time-zone",
                TENCENT_ZONE.getId());
        return out.toString();
    }

    /**
     * A source block: the account's keys, then {@code settings} (key, value, …), then the demo's pace and a
     * look-back of 10 minutes unless the settings say otherwise.
     */
    private static void source(
            StringBuilder out, String baseUrl, String name, String comment, Account account, String... settings) {
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("provider", account.provider());
        keys.put("account", account.account());
        keys.put("region", account.region());
        keys.put("endpoint", baseUrl);
        keys.put("access-key-id", account.keyId());
        keys.put("access-key-secret-file", slashes(account.secret()));
        for (int i = 0; i < DEMO_PACE.length; i += 2) {
            keys.put(DEMO_PACE[i], DEMO_PACE[i + 1]);
        }
        keys.put("initial-lookback", "10m");
        for (int i = 0; i < settings.length; i += 2) {
            keys.put(settings[i], settings[i + 1]);
        }
        block(out, "exporter.source." + name + ".", comment, keys);
    }

    private static void block(StringBuilder out, String prefix, String comment, Map<String, String> keys) {
        out.append('\n');
        if (comment != null) {
            out.append("# ").append(comment).append('\n');
        }
        keys.forEach((key, value) ->
                out.append(prefix).append(key).append('=').append(value).append('\n'));
    }

    /**
     * A large account: each provider's functions in sources of {@value SimPopulation#PER_SOURCE}, each
     * source with a key of its own, every function polled every 30 s.
     */
    static String scale(Path dataDir, String baseUrl, Secrets secrets, SimPopulation population) {
        StringBuilder out = new StringBuilder("""
                # Written by the simulator (simulate --functions %d): a configuration for `run` against the local
                # simulators, %d functions per provider in sources of %d. The credentials are the simulator's demo
                # credentials; they open nothing else.
                exporter.output.dir=%s/events
                exporter.checkpoint.dir=%s/checkpoints
                exporter.poll-threads=16
                """.formatted(
                        population.perProvider(),
                        population.perProvider(),
                        SimPopulation.PER_SOURCE,
                        slashes(dataDir),
                        slashes(dataDir)));
        for (int s = 0; s < population.sources(); s++) {
            scaleSource(out, baseUrl, "fc3", s, fc3(secrets), population.functionsOfSource(null, s));
            scaleSource(out, baseUrl, "fc2", s, fc2(secrets), population.functionsOfSource(FC2_SERVICE, s));
            scaleSource(
                    out,
                    baseUrl,
                    "huawei",
                    s,
                    huawei(secrets),
                    population.functionsOfSource(null, s).stream()
                            .map(f -> "default/" + f)
                            .toList());
            scaleSource(out, baseUrl, "tencent", s, tencent(secrets), population.functionsOfSource(SCF_NAMESPACE, s));
        }
        return out.toString();
    }

    /** A large account's source: a key of its own, every function polled at the default 30 s. */
    private static void scaleSource(
            StringBuilder out, String baseUrl, String prefix, int s, Account account, List<String> functions) {
        Account own = account.withKey(SimPopulation.keyId(account.keyId(), s));
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("provider", own.provider());
        keys.put("account", own.account());
        keys.put("region", own.region());
        keys.put("endpoint", baseUrl);
        keys.put("functions", String.join(",", functions));
        keys.put("access-key-id", own.keyId());
        keys.put("access-key-secret-file", slashes(own.secret()));
        keys.put("initial-lookback", "10m");
        if (own.provider().equals(ScfProvider.ID)) {
            keys.put("time-zone", TENCENT_ZONE.getId());
        }
        block(out, "exporter.source." + prefix + String.format(Locale.ROOT, "-%03d", s + 1) + ".", null, keys);
    }

    private static String slashes(Path path) {
        return path.toString().replace('\\', '/');
    }
}
