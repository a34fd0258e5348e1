package org.asynctask.exporter.provider.fc3;

import java.time.Instant;
import java.util.Map;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.HttpReply;
import org.asynctask.exporter.provider.Page;
import org.asynctask.exporter.provider.PageQuery;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.SourceConfig;
import org.asynctask.exporter.provider.StatusTable;
import org.asynctask.exporter.provider.TaskProvider;
import org.asynctask.exporter.provider.alibaba.Acs3Signer;
import org.asynctask.exporter.provider.alibaba.AlibabaApi;
import org.asynctask.exporter.provider.alibaba.AlibabaTaskMapper;
import org.asynctask.exporter.task.Task;

/** Alibaba Function Compute 3.0 ListAsyncTasks (docs/providers.md §1), signed with ACS3 (§8.1). */
public final class Fc3Provider implements TaskProvider {
    public static final String ID = "alibaba-fc3";
    static final String VERSION = "2023-03-30";
    static final String ACTION = "ListAsyncTasks";

    private final StatusTable statuses = Fc3Statuses.table();
    private final AlibabaTaskMapper mapper = new AlibabaTaskMapper(ID, statuses, AlibabaTaskMapper.Fields.FC3);

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int maxPageSize() {
        return 100;
    }

    @Override
    public StatusTable statuses() {
        return statuses;
    }

    public static String path(String function) {
        return "/" + VERSION + "/functions/" + Acs3Signer.percentEncode(function) + "/async-tasks";
    }

    @Override
    public HttpCall request(SourceConfig source, PartitionKey partition, PageQuery query, Instant now) {
        String base = source.endpointOr("https://" + source.account() + "." + source.region() + ".fc.aliyuncs.com");
        Map<String, String> params = AlibabaApi.listParams(query, partition, source.includePayload(), "prefix");
        return AlibabaApi.acs3Get(base, path(partition.function()), params, ACTION, VERSION, source.credentials(), now);
    }

    @Override
    public Page parse(SourceConfig source, PartitionKey partition, PageQuery query, HttpReply reply) {
        String where = ID + " source '" + source.name() + "' (" + partition.function() + ")";
        AlibabaApi.ListAnswer<Task> answer =
                AlibabaApi.readList(where, reply, "tasks", t -> mapper.map(t, partition, source.includePayload()));
        return new Page(answer.items(), answer.nextToken());
    }
}
