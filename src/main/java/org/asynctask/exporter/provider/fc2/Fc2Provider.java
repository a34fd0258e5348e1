package org.asynctask.exporter.provider.fc2;

import java.net.URI;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.asynctask.exporter.provider.FunctionDiscovery;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.SourceRules;
import org.asynctask.exporter.provider.StatusTable;
import org.asynctask.exporter.provider.TaskProvider;
import org.asynctask.exporter.provider.alibaba.Acs3Signer;
import org.asynctask.exporter.provider.alibaba.AlibabaApi;
import org.asynctask.exporter.provider.alibaba.AlibabaTaskMapper;
import org.asynctask.exporter.task.Task;

/**
 * Alibaba Function Compute 2.0 ListStatefulAsyncInvocations (docs/providers.md §2, with the seed document's
 * corrections: qualifier and invocationIdPrefix are query parameters, times are epoch ms), signed with
 * ACS3 (§8.1) or the FC signature (§8.2); discovery through ListStatefulAsyncInvocationFunctions (§3).
 */
public final class Fc2Provider implements TaskProvider {
    public static final String ID = "alibaba-fc2";
    static final String VERSION = "2021-04-06";
    static final String ACTION = "ListStatefulAsyncInvocations";

    private final StatusTable statuses = Fc2Statuses.table();
    private final AlibabaTaskMapper mapper = new AlibabaTaskMapper(ID, statuses, AlibabaTaskMapper.Fields.FC2);
    private final Fc2Discovery discovery = new Fc2Discovery();

    @Override
    public String id() {
        return ID;
    }

    @Override
    public SourceRules sourceRules() {
        // A function is named with its service; two signing schemes (docs/providers.md, FC 2.0).
        return SourceRules.of(maxPageSize(), listsByEndTime())
                .namespacedFunctions()
                .withSignatures(Set.of("acs3", "fc"));
    }

    @Override
    public int maxPageSize() {
        return 100;
    }

    @Override
    public StatusTable statuses() {
        return statuses;
    }

    @Override
    public FunctionDiscovery discovery() {
        return discovery;
    }

    static String endpoint(SourceConfig source) {
        return source.endpointOr("https://" + source.account() + "." + source.region() + ".fc.aliyuncs.com");
    }

    /** ACS3 for Alibaba's own endpoints (as the official gateway does), the FC signature elsewhere, unless configured. */
    static boolean fcSignature(SourceConfig source) {
        if (source.signature() != null) {
            return source.signature().equals("fc");
        }
        return !URI.create(endpoint(source)).getHost().endsWith("aliyuncs.com");
    }

    /** Signed the source's way: ACS3 or FC. */
    static HttpCall get(
            SourceConfig source,
            String service,
            String function,
            String tail,
            Map<String, String> params,
            String action,
            Instant now) {
        String encoded = service == null
                ? "/" + VERSION + tail
                : "/" + VERSION + "/services/" + Acs3Signer.percentEncode(service) + "/functions/"
                        + Acs3Signer.percentEncode(function) + tail;
        String decoded = service == null
                ? "/" + VERSION + tail
                : "/" + VERSION + "/services/" + service + "/functions/" + function + tail;
        return fcSignature(source)
                ? AlibabaApi.fcGet(
                        endpoint(source), encoded, decoded, params, source.account(), source.credentials(), now)
                : AlibabaApi.acs3Get(endpoint(source), encoded, params, action, VERSION, source.credentials(), now);
    }

    @Override
    public HttpCall request(SourceConfig source, PartitionKey partition, PageQuery query, Instant now) {
        Map<String, String> params =
                AlibabaApi.listParams(query, partition, source.includePayload(), "invocationIdPrefix");
        return get(
                source,
                partition.namespace(),
                partition.function(),
                "/stateful-async-invocations",
                params,
                ACTION,
                now);
    }

    @Override
    public Page parse(SourceConfig source, PartitionKey partition, PageQuery query, HttpReply reply) {
        String where =
                ID + " source '" + source.name() + "' (" + partition.namespace() + "/" + partition.function() + ")";
        AlibabaApi.ListAnswer<Task> answer = AlibabaApi.readList(
                where, reply, "invocations", t -> mapper.map(t, partition, source.includePayload()));
        return new Page(answer.items(), answer.nextToken());
    }
}
