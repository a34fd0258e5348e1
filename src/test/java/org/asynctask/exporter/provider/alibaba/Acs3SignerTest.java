package org.asynctask.exporter.provider.alibaba;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** ACS3-HMAC-SHA256 against the vectors of docs/providers.md §8.1. */
class Acs3SignerTest {

    @Test
    void officialRunInstancesVector() {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("RegionId", "cn-shanghai");
        query.put("ImageId", "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "ecs.cn-shanghai.aliyuncs.com");
        headers.put("x-acs-action", "RunInstances");
        headers.put("x-acs-version", "2014-05-26");
        headers.put("x-acs-date", "2023-10-26T10:22:32Z");
        headers.put("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d");
        headers.put("x-acs-content-sha256", Acs3Signer.EMPTY_BODY_SHA256);

        String canonical = Acs3Signer.canonicalRequest("POST", "/", query, headers, Acs3Signer.EMPTY_BODY_SHA256);

        assertThat(canonical).isEqualTo("""
                POST
                /
                ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai
                host:ecs.cn-shanghai.aliyuncs.com
                x-acs-action:RunInstances
                x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-acs-date:2023-10-26T10:22:32Z
                x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d
                x-acs-version:2014-05-26

                host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855""");
        assertThat(Acs3Signer.sha256Hex(canonical))
                .isEqualTo("7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
        assertThat(Acs3Signer.signature(canonical, "YourAccessKeySecret"))
                .isEqualTo("06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
        assertThat(Acs3Signer.authorization(
                        "POST",
                        "/",
                        query,
                        headers,
                        Acs3Signer.EMPTY_BODY_SHA256,
                        "YourAccessKeyId",
                        "YourAccessKeySecret"))
                .isEqualTo("ACS3-HMAC-SHA256 Credential=YourAccessKeyId,"
                        + "SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,"
                        + "Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0");
    }

    @Test
    void listAsyncTasksVector() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "1234567890123456.cn-hangzhou.fc.aliyuncs.com");
        headers.put("x-acs-action", "ListAsyncTasks");
        headers.put("x-acs-version", "2023-03-30");
        headers.put("x-acs-date", "2024-01-01T00:00:00Z");
        headers.put("x-acs-signature-nonce", "0123456789abcdef0123456789abcdef");
        headers.put("x-acs-content-sha256", Acs3Signer.EMPTY_BODY_SHA256);

        String canonical = Acs3Signer.canonicalRequest(
                "GET",
                "/2023-03-30/functions/my-func/async-tasks",
                Map.of("status", "Running", "limit", "10"),
                headers,
                Acs3Signer.EMPTY_BODY_SHA256);

        assertThat(Acs3Signer.sha256Hex(canonical))
                .isEqualTo("bf1b3747ced785486ccbae4959cdce0fdbb51de0b31cab9973751243ac283669");
        assertThat(Acs3Signer.signature(canonical, "YourAccessKeySecret"))
                .isEqualTo("88f284a6ff003ddead1b3cc44fd03ae8cd30da6402f7821617dd65846006ebbf");
    }

    @Test
    void percentEncodesAsOpenApiUtilDoes() {
        assertThat(Acs3Signer.percentEncode("a b*c~d/é")).isEqualTo("a%20b%2Ac~d%2F%C3%A9");
        assertThat(Acs3Signer.canonicalQuery(Map.of("b", "", "a", "x y"))).isEqualTo("a=x%20y&b=");
    }

    @Test
    void signsOnlyHostContentTypeAndAcsHeaders() {
        assertThat(Acs3Signer.signedHeaders(
                        Map.of("Host", "h", "Accept", "json", "X-Acs-Date", " d ", "Content-Type", "c")))
                .containsOnlyKeys("host", "x-acs-date", "content-type")
                .containsEntry("x-acs-date", "d");
    }
}
