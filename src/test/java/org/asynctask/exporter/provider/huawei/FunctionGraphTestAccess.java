package org.asynctask.exporter.provider.huawei;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.asynctask.exporter.provider.HttpCall;
import org.asynctask.exporter.provider.SourceConfig;

/** Lets simulator tests sign requests the exporter itself would never send (e.g. without query_begin_time). */
public final class FunctionGraphTestAccess {
    private FunctionGraphTestAccess() {}

    public static HttpCall signedGet(SourceConfig source, URI url, Instant now) {
        List<String> segments = new ArrayList<>();
        Arrays.stream(url.getPath().split("/")).filter(s -> !s.isEmpty()).forEach(segments::add);
        Map<String, String> params = new LinkedHashMap<>();
        for (String pair : url.getRawQuery().split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(
                    URLDecoder.decode(kv[0], StandardCharsets.UTF_8), URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return FunctionGraphProvider.get(source, segments, params, now);
    }
}
