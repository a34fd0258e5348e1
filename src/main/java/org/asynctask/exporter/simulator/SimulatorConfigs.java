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
import java.util.List;
import java.util.Locale;
import org.asynctask.exporter.provider.fc2.Fc2Provider;
import org.asynctask.exporter.provider.fc3.Fc3Provider;
import org.asynctask.exporter.provider.huawei.FunctionGraphProvider;
import org.asynctask.exporter.provider.tencent.ScfProvider;

/** The exporter configurations the simulator writes for {@code run} against it: the demo's, and a large account's. */
final class SimulatorConfigs {
    /** The demo secret files, one per provider. */
    record Secrets(Path alibaba, Path huawei, Path tencent) {}

    private SimulatorConfigs() {}

    static String demo(Path dataDir, String baseUrl, Secrets secrets) {
        return """
                # Written by the simulator: a configuration for `run` against the local simulators.
                # The credentials are the simulator's demo credentials; they open nothing else.
                exporter.output.dir=%1$s/events
                exporter.checkpoint.dir=%1$s/checkpoints

                exporter.source.fc3-demo.provider=alibaba-fc3
                exporter.source.fc3-demo.account=%2$s
                exporter.source.fc3-demo.region=%3$s
                exporter.source.fc3-demo.endpoint=%4$s
                exporter.source.fc3-demo.functions=orders,thumbnails,reports:prod
                exporter.source.fc3-demo.access-key-id=%5$s
                exporter.source.fc3-demo.access-key-secret-file=%6$s
                exporter.source.fc3-demo.interval=2s
                exporter.source.fc3-demo.safety-lag=1s
                exporter.source.fc3-demo.rescan-window=20s
                exporter.source.fc3-demo.initial-lookback=10m

                # FC 2.0, functions listed, FC signature (the default for non-Alibaba endpoints).
                exporter.source.fc2-billing.provider=alibaba-fc2
                exporter.source.fc2-billing.account=%2$s
                exporter.source.fc2-billing.region=%3$s
                exporter.source.fc2-billing.endpoint=%4$s
                exporter.source.fc2-billing.functions=billing/invoice,billing/refund
                exporter.source.fc2-billing.access-key-id=%5$s
                exporter.source.fc2-billing.access-key-secret-file=%6$s
                exporter.source.fc2-billing.interval=2s
                exporter.source.fc2-billing.safety-lag=1s
                exporter.source.fc2-billing.rescan-window=20s
                exporter.source.fc2-billing.initial-lookback=10m

                # FC 2.0, functions discovered (only service media), ACS3 signature.
                exporter.source.fc2-media.provider=alibaba-fc2
                exporter.source.fc2-media.account=%2$s
                exporter.source.fc2-media.region=%3$s
                exporter.source.fc2-media.endpoint=%4$s
                exporter.source.fc2-media.discover=true
                exporter.source.fc2-media.include=media/*
                exporter.source.fc2-media.discovery-interval=10s
                exporter.source.fc2-media.signature=acs3
                exporter.source.fc2-media.access-key-id=%5$s
                exporter.source.fc2-media.access-key-secret-file=%6$s
                exporter.source.fc2-media.interval=2s
                exporter.source.fc2-media.safety-lag=1s
                exporter.source.fc2-media.rescan-window=20s
                exporter.source.fc2-media.initial-lookback=10m

                # Huawei FunctionGraph, AK/SK signing. The look-back covers tasks started two hours ago.
                exporter.source.huawei-demo.provider=huawei-functiongraph
                exporter.source.huawei-demo.account=%7$s
                exporter.source.huawei-demo.region=%8$s
                exporter.source.huawei-demo.endpoint=%4$s
                exporter.source.huawei-demo.functions=default/resize,default/notify
                exporter.source.huawei-demo.access-key-id=%9$s
                exporter.source.huawei-demo.access-key-secret-file=%10$s
                exporter.source.huawei-demo.interval=2s
                exporter.source.huawei-demo.safety-lag=1s
                exporter.source.huawei-demo.rescan-window=20s
                exporter.source.huawei-demo.initial-lookback=3h

                # Tencent SCF, TC3 signing, at most 20 requests per second for this SecretId (the default).
                exporter.source.tencent-demo.provider=tencent-scf
                exporter.source.tencent-demo.account=%11$s
                exporter.source.tencent-demo.region=%12$s
                exporter.source.tencent-demo.endpoint=%4$s
                exporter.source.tencent-demo.functions=default/report,jobs/etl
                exporter.source.tencent-demo.access-key-id=%13$s
                exporter.source.tencent-demo.access-key-secret-file=%14$s
                exporter.source.tencent-demo.time-zone=Asia/Shanghai
                exporter.source.tencent-demo.interval=2s
                exporter.source.tencent-demo.safety-lag=1s
                exporter.source.tencent-demo.rescan-window=20s
                exporter.source.tencent-demo.initial-lookback=10m
                """.formatted(
                        slashes(dataDir),
                        ACCOUNT,
                        REGION,
                        baseUrl,
                        ALIBABA_KEY_ID,
                        slashes(secrets.alibaba()),
                        HUAWEI_PROJECT,
                        HUAWEI_REGION,
                        HUAWEI_AK,
                        slashes(secrets.huawei()),
                        TENCENT_APP_ID,
                        TENCENT_REGION,
                        TENCENT_SECRET_ID,
                        slashes(secrets.tencent()));
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
            scaleSource(
                    out,
                    baseUrl,
                    "fc3",
                    s,
                    Fc3Provider.ID,
                    ACCOUNT,
                    REGION,
                    population.functionsOfSource(null, s),
                    ALIBABA_KEY_ID,
                    secrets.alibaba());
            scaleSource(
                    out,
                    baseUrl,
                    "fc2",
                    s,
                    Fc2Provider.ID,
                    ACCOUNT,
                    REGION,
                    population.functionsOfSource(FC2_SERVICE, s),
                    ALIBABA_KEY_ID,
                    secrets.alibaba());
            scaleSource(
                    out,
                    baseUrl,
                    "huawei",
                    s,
                    FunctionGraphProvider.ID,
                    HUAWEI_PROJECT,
                    HUAWEI_REGION,
                    population.functionsOfSource(null, s).stream()
                            .map(f -> "default/" + f)
                            .toList(),
                    HUAWEI_AK,
                    secrets.huawei());
            scaleSource(
                    out,
                    baseUrl,
                    "tencent",
                    s,
                    ScfProvider.ID,
                    TENCENT_APP_ID,
                    TENCENT_REGION,
                    population.functionsOfSource(SCF_NAMESPACE, s),
                    TENCENT_SECRET_ID,
                    secrets.tencent());
        }
        return out.toString();
    }

    private static void scaleSource(
            StringBuilder out,
            String baseUrl,
            String prefix,
            int s,
            String provider,
            String account,
            String region,
            List<String> functions,
            String demoKeyId,
            Path secret) {
        String p = "exporter.source." + prefix + String.format(Locale.ROOT, "-%03d", s + 1) + ".";
        out.append('\n');
        out.append(p).append("provider=").append(provider).append('\n');
        out.append(p).append("account=").append(account).append('\n');
        out.append(p).append("region=").append(region).append('\n');
        out.append(p).append("endpoint=").append(baseUrl).append('\n');
        out.append(p).append("functions=").append(String.join(",", functions)).append('\n');
        out.append(p)
                .append("access-key-id=")
                .append(SimPopulation.keyId(demoKeyId, s))
                .append('\n');
        out.append(p).append("access-key-secret-file=").append(slashes(secret)).append('\n');
        out.append(p).append("initial-lookback=10m").append('\n');
        if (provider.equals(ScfProvider.ID)) {
            out.append(p).append("time-zone=").append(TENCENT_ZONE).append('\n');
        }
    }

    private static String slashes(Path path) {
        return path.toString().replace('\\', '/');
    }
}
