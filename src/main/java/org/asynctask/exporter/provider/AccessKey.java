package org.asynctask.exporter.provider;

/**
 * An access key pair (Alibaba AccessKey, Huawei AK/SK, Tencent SecretId/SecretKey).
 *
 * @param securityToken STS token for temporary credentials, or null
 */
public record AccessKey(String id, Secret secret, Secret securityToken) {
    @Override
    public String toString() {
        return "AccessKey[id=" + id + ", secret=****]";
    }
}
