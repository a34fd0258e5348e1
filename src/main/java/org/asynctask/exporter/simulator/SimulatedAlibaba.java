package org.asynctask.exporter.simulator;

import java.nio.file.Path;

/** The simulated Alibaba account, which FC 3.0 and FC 2.0 share: one key, one secret file. */
public abstract class SimulatedAlibaba extends SimulatedApi {
    public static final String ACCOUNT = "1234567890123456";
    public static final String REGION = "cn-hangzhou";
    /** Demo credentials of the simulated Alibaba account. Not a real key: it opens nothing but this simulator. */
    public static final String KEY_ID = "LTAI5tSimulatorDemoKey";

    private static final String SECRET = "simulator-demo-secret-0000000000";

    private final AlibabaSimulator handler;

    SimulatedAlibaba(AlibabaDialect dialect, Setting setting) {
        super(setting);
        this.handler = new AlibabaSimulator(
                dialect,
                setting.engine(),
                setting.population().keys(KEY_ID, SECRET),
                ACCOUNT,
                REGION,
                setting.clock(),
                setting.faults());
    }

    @Override
    ApiHandler handler() {
        return handler;
    }

    @Override
    String secretFile() {
        return "alibaba-demo.secret";
    }

    @Override
    String secret() {
        return SECRET;
    }

    @Override
    void expirePageTokens() {
        handler.tokens().expireAll();
    }

    SimulatorConfigs.Account account(Path secret) {
        return new SimulatorConfigs.Account(providerId(), ACCOUNT, REGION, KEY_ID, secret);
    }
}
