package org.asynctask.exporter.testing;

import com.huaweicloud.sdk.core.auth.BasicCredentials;
import com.huaweicloud.sdk.core.http.HttpConfig;
import com.huaweicloud.sdk.functiongraph.v2.FunctionGraphClient;
import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.scf.v20180416.ScfClient;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import org.asynctask.exporter.simulator.SimulatedFunctionGraph;
import org.asynctask.exporter.simulator.SimulatedScf;
import org.asynctask.exporter.simulator.SimulatorServer;

/**
 * The official Huawei and Tencent SDK clients pointed at a simulator, with its demo sources' keys: made as a
 * user's code makes them, but for where they connect (the conformance tests and the benchmark's SDK loops).
 */
public final class OfficialSdks {
    private OfficialSdks() {}

    /** huaweicloud-sdk-functiongraph's client with the simulator as its endpoint. */
    public static FunctionGraphClient functionGraph(SimulatorServer sim) throws IOException {
        return functionGraph(sim, sim.baseUrl());
    }

    /** The same client with another endpoint (the benchmark's replay of the simulator's pages). */
    public static FunctionGraphClient functionGraph(SimulatorServer sim, String endpoint) throws IOException {
        return FunctionGraphClient.newBuilder()
                .withCredential(new BasicCredentials()
                        .withAk(SimulatedFunctionGraph.AK)
                        .withSk(secret(sim, "huawei-demo"))
                        .withProjectId(SimulatedFunctionGraph.PROJECT))
                .withHttpConfig(HttpConfig.getDefaultHttpConfig())
                .withEndpoints(List.of(endpoint))
                .build();
    }

    /**
     * tencentcloud-sdk-java's client for the production host {@code scf.tencentcloudapi.com} (so it signs service
     * {@code scf}), its requests sent through its proxy setting to the simulator on loopback.
     */
    public static ScfClient scf(SimulatorServer sim) throws IOException {
        HttpProfile http = new HttpProfile();
        http.setEndpoint("scf.tencentcloudapi.com");
        http.setProtocol(HttpProfile.REQ_HTTP);
        http.setProxyHost("127.0.0.1");
        http.setProxyPort(URI.create(sim.baseUrl()).getPort());
        ClientProfile profile = new ClientProfile();
        profile.setHttpProfile(http);
        return new ScfClient(
                new Credential(SimulatedScf.SECRET_ID, secret(sim, "tencent-demo")), SimulatedScf.REGION, profile);
    }

    /** The secret the simulator wrote for one of its demo sources. */
    private static String secret(SimulatorServer sim, String source) throws IOException {
        return Files.readString(sim.exporterConfig().getParent().resolve(source + ".secret"), StandardCharsets.UTF_8)
                .strip();
    }
}
