package org.asynctask.exporter.provider;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import org.asynctask.exporter.secret.AccessKey;
import org.asynctask.exporter.secret.Secret;

/**
 * One named source: an account and region of one provider, the functions to poll and how.
 * Keys are {@code exporter.source.<name>.<key>}; the configuration's {@code SourceKeys} documents each.
 *
 * @param endpoint  base URL, or null for the provider's default for {@code account} and {@code region}
 * @param signature signing scheme where a provider has several (FC 2.0: {@code acs3} or {@code fc}); null = provider default
 * @param authToken Huawei IAM token used instead of {@code credentials}; null to sign with the access key
 * @param rateLimit requests per second shared by the sources with the same credentials; -1 = the provider's default
 * @param timeZone  zone of the provider's time strings where they carry none (Tencent), or null
 */
public record SourceConfig(
        String name,
        String provider,
        String account,
        String region,
        String endpoint,
        List<FunctionRef> functions,
        Duration interval,
        int pageSize,
        AccessKey credentials,
        boolean includePayload,
        ScanSettings scan,
        String signature,
        DiscoverySettings discovery,
        Secret authToken,
        int rateLimit,
        ZoneId timeZone) {

    public SourceConfig {
        functions = List.copyOf(functions);
    }

    /** The key requests are counted under: one provider account's credentials. */
    public String rateLimitKey() {
        return provider + ":" + (credentials != null ? credentials.id() : name);
    }

    /** Base URL to call: the configured endpoint, else the provider's default, without a trailing slash. */
    public String endpointOr(String providerDefault) {
        String base = endpoint == null ? providerDefault : endpoint;
        return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    }
}
