package org.asynctask.exporter.secret;

/**
 * An access key pair (Alibaba AccessKey, Huawei AK/SK, Tencent SecretId/SecretKey).
 *
 * @param securityToken STS token for temporary credentials, or null
 */
public record AccessKey(String id, Secret secret, Secret securityToken) {
    /** The id is not a secret, but it names an account's key: it is kept out of logs too. */
    public AccessKey {
        Redaction.register(id);
    }

    @Override
    public String toString() {
        return "AccessKey[id=" + (id.length() > 4 ? id.substring(0, 4) + "…" : "…") + ", secret=****]";
    }
}
