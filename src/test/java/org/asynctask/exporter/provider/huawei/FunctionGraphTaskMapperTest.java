package org.asynctask.exporter.provider.huawei;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.asynctask.exporter.Json;
import org.asynctask.exporter.provider.PartitionKey;
import org.asynctask.exporter.provider.StatusTable;
import org.asynctask.exporter.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FunctionGraph invocations are read straight from the page's tokens (issue 24); each must map to the task the
 * tree mapper it replaced gave, kept here as the oracle: for the simulator's invocations and for ones that bend
 * every field (numbers for text, nulls, objects where values belong, a field twice, fields nobody reads).
 */
class FunctionGraphTaskMapperTest {
    private static final PartitionKey PARTITION =
            new PartitionKey(FunctionGraphProvider.ID, "hw", "0a1b", "cn-north-4", null, "resize", null);
    private static final FunctionGraphProvider PROVIDER = new FunctionGraphProvider();

    private static final List<String> BENT = List.of(
            "{\"request_id\":\"r-1\",\"status\":\"RUNNING\",\"start_time\":\"2026-12-04T01:02:03\"}",
            "{\"request_id\":\"r-2\",\"status\":\"SUCCESS\",\"start_time\":\"2026-12-04T01:02:03Z\","
                    + "\"end_time\":\"2026-12-04T01:02:09\",\"error_code\":0,\"error_message\":\"\","
                    + "\"instance_id\":\"i\",\"unknown\":{\"a\":[{\"b\":null}]}}",
            "{\"request_id\":42,\"status\":\"FAIL\",\"start_time\":\"2026-12-04T01:02:03\",\"end_time\":null,"
                    + "\"error_code\":\"FSS.1000\",\"error_message\":{\"nested\":[1,2]}}",
            "{\"request_id\":\"first\",\"request_id\":\"last\",\"status\":\"WAIT\",\"status\":\"DISCARD\","
                    + "\"start_time\":\"2026-12-04T01:02:03\",\"error_code\":null,\"error_message\":7.5}",
            "{\"request_id\":\"r-3\",\"status\":true,\"start_time\":\"  2026-12-04T01:02:03.250  \","
                    + "\"end_time\":\"\",\"error_code\":[\"x\"]}");

    private static Task streamed(String json) throws Exception {
        try (JsonParser p = Json.MAPPER.createParser(json)) {
            p.nextToken();
            return PROVIDER.map(p, PARTITION);
        }
    }

    @Test
    void bentInvocationsMapAsTheTreeMapperMappedThem() throws Exception {
        for (String json : BENT) {
            assertThat(streamed(json)).as(json).isEqualTo(tree(Json.MAPPER.readTree(json), PARTITION));
        }
    }

    @Test
    void theDocumentsPageMapsAsTheTreeMapperMappedIt() throws Exception {
        JsonNode page = Json.MAPPER.readTree(
                Files.readString(Path.of("src/test/resources/fixtures/huawei-list-async-invocations-seed-003.json")));
        assertThat(page.path("invocations")).isNotEmpty();
        for (JsonNode invocation : page.path("invocations")) {
            assertThat(streamed(invocation.toString())).isEqualTo(tree(invocation, PARTITION));
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"status\":\"RUNNING\",\"start_time\":\"2026-12-04T01:02:03\"}",
                "{\"request_id\":\"\",\"status\":\"RUNNING\",\"start_time\":\"2026-12-04T01:02:03\"}",
                "{\"request_id\":\"r\",\"status\":null,\"start_time\":\"2026-12-04T01:02:03\"}",
                "{\"request_id\":\"r\",\"status\":\"RUNNING\"}",
                "{\"request_id\":\"r\",\"status\":\"RUNNING\",\"start_time\":{}}",
                "{\"request_id\":\"r\",\"status\":\"RUNNING\",\"start_time\":\"yesterday\"}",
                "[\"not an invocation\"]",
                "\"not an invocation\""
            })
    void unusableInvocationsAreRefusedWithTheTreeMappersMessage(String json) throws Exception {
        String expected = null;
        try {
            tree(Json.MAPPER.readTree(json), PARTITION);
        } catch (IllegalArgumentException e) {
            expected = e.getMessage();
        }
        assertThat(expected).as("the oracle refuses it").isNotNull();
        assertThatThrownBy(() -> streamed(json))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(expected);
    }

    // The tree mapper as it was before issue 24: the oracle.

    private static final StatusTable STATUSES = HuaweiStatuses.table();

    private static Task tree(JsonNode t, PartitionKey partition) {
        String id = t.path("request_id").asText("");
        String status = t.path("status").asText("");
        if (id.isEmpty() || status.isEmpty()) {
            throw new IllegalArgumentException("an invocation has no request_id or status");
        }
        Instant started = HuaweiTimes.parse(t.path("start_time").asText(null));
        if (started == null) {
            throw new IllegalArgumentException("invocation " + id + " has no start_time");
        }
        String errorCode = t.path("error_code").asText("");
        String errorMessage = t.path("error_message").asText("");
        return Task.builder()
                .location(
                        FunctionGraphProvider.ID,
                        partition.source(),
                        partition.account(),
                        partition.region(),
                        partition.namespace() == null ? FunctionGraphProvider.DEFAULT_PACKAGE : partition.namespace(),
                        partition.function(),
                        partition.qualifier() == null ? FunctionGraphProvider.DEFAULT_VERSION : partition.qualifier())
                .taskId(id)
                .requestId(id)
                .status(STATUSES.normalize(status), status)
                .startedAt(started)
                .endedAt(HuaweiTimes.parse(t.path("end_time").asText(null)))
                .errorCode(errorCode.isEmpty() || errorCode.equals("0") ? null : errorCode)
                .errorMessage(errorMessage.isEmpty() ? null : errorMessage)
                .build();
    }
}
