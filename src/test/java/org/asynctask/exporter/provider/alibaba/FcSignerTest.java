package org.asynctask.exporter.provider.alibaba;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The FC signature against the vector of docs/providers.md §8.2. */
class FcSignerTest {

    @Test
    void listStatefulAsyncInvocationsVector() {
        String stringToSign = FcSigner.stringToSign(
                "GET",
                "",
                "application/json",
                "Wed, 11 May 2022 09:00:00 GMT",
                Map.of("X-Fc-Account-Id", "1234567890123456", "Accept", "application/json"),
                "/2021-04-06/services/my-svc/functions/my-func/stateful-async-invocations");

        assertThat(stringToSign)
                .isEqualTo(
                        "GET\n\napplication/json\nWed, 11 May 2022 09:00:00 GMT\n"
                                + "x-fc-account-id:1234567890123456\n/2021-04-06/services/my-svc/functions/my-func/stateful-async-invocations");
        assertThat(FcSigner.signature(stringToSign, "YourAccessKeySecret"))
                .isEqualTo("RKCBgq1OimkQyRgOUCa7cYfhr9kB9l5waQIFQCk3rDg=");
        assertThat(FcSigner.authorization("ak", stringToSign, "YourAccessKeySecret"))
                .isEqualTo("FC ak:RKCBgq1OimkQyRgOUCa7cYfhr9kB9l5waQIFQCk3rDg=");
    }

    @Test
    void datesAreRfc1123InGmt() {
        assertThat(FcSigner.date(Instant.parse("2022-05-11T09:00:00Z"))).isEqualTo("Wed, 11 May 2022 09:00:00 GMT");
    }
}
