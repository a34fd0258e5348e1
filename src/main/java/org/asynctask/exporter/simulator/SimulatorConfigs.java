package org.asynctask.exporter.simulator;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The exporter configurations the simulator writes for {@code run} against it: the demo's, and a large account's.
 * Each simulated API writes its own sources ({@link SimulatedApi#demoSources}, {@link SimulatedApi#scaleSource}).
 */
final class SimulatorConfigs {
    private SimulatorConfigs() {}

    /** One of the simulator's accounts as a source names it: provider, account, region, demo key, its secret's file. */
    record Account(String provider, String account, String region, String keyId, Path secret) {
        Account withKey(String id) {
            return new Account(provider, account, region, id, secret);
        }
    }

    /** The demo's pace: every 2 s, a second of safety lag, a re-scan window of 20 s. */
    private static final String[] DEMO_PACE = {"interval", "2s", "safety-lag", "1s", "rescan-window", "20s"};

    static String demo(Path dataDir, String baseUrl, List<SimulatedApi> apis, Path simulatorDir) {
        Blocks out = new Blocks(new StringBuilder("""
                # Written by the simulator: a configuration for `run` against the local simulators.
                # The credentials are the simulator's demo credentials; they open nothing else.
                exporter.output.dir=%1$s/events
                exporter.checkpoint.dir=%1$s/checkpoints
                """.formatted(slashes(dataDir))), baseUrl);
        apis.forEach(api -> api.demoSources(out, simulatorDir.resolve(api.secretFile())));
        return out.text.toString();
    }

    /**
     * A large account: each provider's functions in sources of {@value SimPopulation#PER_SOURCE}, each
     * source with a key of its own, every function polled every 30 s.
     */
    static String scale(
            Path dataDir, String baseUrl, List<SimulatedApi> apis, Path simulatorDir, SimPopulation population) {
        Blocks out = new Blocks(
                new StringBuilder("""
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
                                slashes(dataDir))),
                baseUrl);
        for (int s = 0; s < population.sources(); s++) {
            for (SimulatedApi api : apis) {
                api.scaleSource(out, s, population, simulatorDir.resolve(api.secretFile()));
            }
        }
        return out.text.toString();
    }

    /** A configuration being written: its source blocks against the simulator at {@code baseUrl}. */
    record Blocks(StringBuilder text, String baseUrl) {
        /**
         * A demo source: the account's keys, then {@code settings} (key, value, …), then the demo's pace and a
         * look-back of 10 minutes unless the settings say otherwise.
         */
        void source(String name, String comment, Account account, String... settings) {
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
            put(keys, settings);
            block("exporter.source." + name + ".", comment, keys);
        }

        /** A large account's source: a key of its own, every function polled at the default 30 s; then {@code settings}. */
        void scaleSource(String prefix, int s, Account account, List<String> functions, String... settings) {
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
            put(keys, settings);
            block("exporter.source." + prefix + String.format(Locale.ROOT, "-%03d", s + 1) + ".", null, keys);
        }

        private static void put(Map<String, String> keys, String... settings) {
            for (int i = 0; i < settings.length; i += 2) {
                keys.put(settings[i], settings[i + 1]);
            }
        }

        private void block(String prefix, String comment, Map<String, String> keys) {
            text.append('\n');
            if (comment != null) {
                text.append("# ").append(comment).append('\n');
            }
            keys.forEach((key, value) ->
                    text.append(prefix).append(key).append('=').append(value).append('\n'));
        }
    }

    private static String slashes(Path path) {
        return path.toString().replace('\\', '/');
    }
}
