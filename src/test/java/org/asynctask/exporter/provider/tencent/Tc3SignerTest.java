package org.asynctask.exporter.provider.tencent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** TC3-HMAC-SHA256 against the vectors of docs/providers.md §8.4. */
class Tc3SignerTest {
    private static final String SECRET_ID = "AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******";
    private static final String SECRET_KEY = "Gu5t9xGARNpq86cd98joQYCN3*******";
    private static final String CVM_PAYLOAD =
            "{\"Limit\": 1, \"Filters\": [{\"Values\": [\"\\u672a\\u547d\\u540d\"], \"Name\": \"instance-name\"}]}";
    private static final String JSON = "application/json; charset=utf-8";

    @Test
    void officialVectorCurrentDocSigningXTcAction() {
        Map<String, String> headers =
                Map.of("content-type", JSON, "host", "cvm.tencentcloudapi.com", "x-tc-action", "describeinstances");
        assertThat(Tc3Signer.sha256Hex(CVM_PAYLOAD))
                .isEqualTo("35e9c5b0e3ae67532d3c9f17ead6c90222632e5b1ff7f6e89887f1398934f064");
        String canonical = Tc3Signer.canonicalRequest("POST", "", headers, CVM_PAYLOAD);
        assertThat(Tc3Signer.sha256Hex(canonical))
                .isEqualTo("7019a55be8395899b900fb5564e4200d984910f34794a27cb3fb7d10ff6a1e84");
        String signature = Tc3Signer.signature(canonical, "cvm", 1551113065, SECRET_KEY);
        assertThat(signature).isEqualTo("be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3");
        assertThat(Tc3Signer.authorization(SECRET_ID, "cvm", 1551113065, headers, signature))
                .isEqualTo(
                        "TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3*******/2019-02-25/cvm/tc3_request, "
                                + "SignedHeaders=content-type;host;x-tc-action, Signature=be4f67d323c78ab9acb7395e43c0dbcf822a9cfac32fea2449a7bc7726b770a3");
    }

    @Test
    void officialVectorSdkStyleSigningContentTypeAndHost() {
        String canonical = Tc3Signer.canonicalRequest(
                "POST", "", Map.of("content-type", JSON, "host", "cvm.tencentcloudapi.com"), CVM_PAYLOAD);
        assertThat(Tc3Signer.sha256Hex(canonical))
                .isEqualTo("5ffe6a04c0664d6b969fab9a13bdab201d63ee709638e2749d62a09ca18d7031");
        assertThat(Tc3Signer.signature(canonical, "cvm", 1551113065, SECRET_KEY))
                .isEqualTo("2230eefd229f582d8b1b891af7107b91597240707d778ab3738f756258d7652c");
    }

    @Test
    void listAsyncEventsVector() {
        String payload = "{\"FunctionName\":\"my-func\",\"Namespace\":\"default\",\"Offset\":0,\"Limit\":100}";
        assertThat(Tc3Signer.sha256Hex(payload))
                .isEqualTo("8c691ced31ed73b8a37b389c52dac2b139ac7af66a66cd213188d683f25113de");
        String canonical = Tc3Signer.canonicalRequest(
                "POST", "", Map.of("content-type", JSON, "host", "scf.tencentcloudapi.com"), payload);
        assertThat(Tc3Signer.sha256Hex(canonical))
                .isEqualTo("67d22850bee6a41dd7d7bdac46da7cb1f61e7c09a86bf72fe7ef9cb2311f843e");
        assertThat(Tc3Signer.signature(canonical, "scf", 1704067200, SECRET_KEY))
                .isEqualTo("8b6738cad0881fb12a9d22a2ba637e987173e14f21ccda08504bc8b65a2b6f7b");
    }
}
