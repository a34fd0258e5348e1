package org.asynctask.exporter.provider.huawei;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SDK-HMAC-SHA256 against the vectors of docs/providers.md §8.3. */
class HuaweiSignerTest {
    private static final String SK = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc";

    @Test
    void officialVpcListVector() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Host", "service.region.example.com");
        headers.put("X-Sdk-Date", "20191115T033655Z");
        String canonicalUri = HuaweiSigner.canonicalUri("v1", "77b6a44cba5143ab91d13ab9a8ff44fd", "vpcs");
        Map<String, String> query = Map.of("marker", "13551d6b-755d-4757-b956-536f674975c0", "limit", "2");

        String canonical =
                HuaweiSigner.canonicalRequest("GET", canonicalUri, query, headers, HuaweiSigner.EMPTY_BODY_SHA256);

        assertThat(canonical).isEqualTo("""
                GET
                /v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/
                limit=2&marker=13551d6b-755d-4757-b956-536f674975c0
                content-type:application/json
                host:service.region.example.com
                x-sdk-date:20191115T033655Z

                content-type;host;x-sdk-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");
        assertThat(HuaweiSigner.sha256Hex(canonical))
                .isEqualTo("b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a");
        String signature = HuaweiSigner.signature(canonical, "20191115T033655Z", SK);
        assertThat(signature).isEqualTo("7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
        assertThat(HuaweiSigner.authorization("QTWAOYTTINDUT2QVKYUC", headers, signature))
                .isEqualTo("SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, "
                        + "Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe");
    }

    @Test
    void asyncInvocationsVectorEncodesTheUrn() {
        String project = "0123456789abcdef0123456789abcdef";
        String canonicalUri = HuaweiSigner.canonicalUri(
                "v2",
                project,
                "fgs",
                "functions",
                "urn:fss:cn-north-4:" + project + ":function:default:my-func:latest",
                "async-invocations");
        assertThat(canonicalUri)
                .isEqualTo(
                        "/v2/0123456789abcdef0123456789abcdef/fgs/functions/urn%3Afss%3Acn-north-4%3A"
                                + "0123456789abcdef0123456789abcdef%3Afunction%3Adefault%3Amy-func%3Alatest/async-invocations/");
        Map<String, String> headers = Map.of(
                "content-type",
                "application/json",
                "host",
                "functiongraph.cn-north-4.myhuaweicloud.com",
                "x-sdk-date",
                "20240101T000000Z");

        String canonical = HuaweiSigner.canonicalRequest(
                "GET", canonicalUri, Map.of("limit", "100", "marker", "0"), headers, HuaweiSigner.EMPTY_BODY_SHA256);

        assertThat(HuaweiSigner.sha256Hex(canonical))
                .isEqualTo("5b3dc508a11651553ab9161b7ce67a889f9072a15998896f9ecdda7432e7deff");
        assertThat(HuaweiSigner.signature(canonical, "20240101T000000Z", SK))
                .isEqualTo("14671c811c3b7f3f89a85b242403b1c27dc3fc5e48d9e47c81d080f5701b07a5");
    }
}
