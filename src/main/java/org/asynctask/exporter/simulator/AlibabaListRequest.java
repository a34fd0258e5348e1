package org.asynctask.exporter.simulator;

import java.util.Map;
import java.util.TreeSet;

/** The parsed, validated query of one FC list call. */
record AlibabaListRequest(
        String prefix,
        String nextToken,
        int limit,
        String qualifier,
        String status,
        Long begin,
        Long end,
        boolean descending,
        boolean includePayload) {

    static AlibabaListRequest parse(Map<String, String> q, AlibabaDialect dialect) throws Refused {
        String status = q.get("status");
        if (status != null && !dialect.statuses().contains(status)) {
            throw new Refused(
                    400, "InvalidArgument", "status " + status + " is not one of " + new TreeSet<>(dialect.statuses()));
        }
        String sort = q.getOrDefault("sortOrderByTime", "desc");
        if (!sort.equals("asc") && !sort.equals("desc")) {
            throw new Refused(400, "InvalidArgument", "sortOrderByTime must be asc or desc");
        }
        String include = q.getOrDefault("includePayload", "false");
        if (!include.equals("true") && !include.equals("false")) {
            throw new Refused(400, "InvalidArgument", "includePayload must be true or false");
        }
        return new AlibabaListRequest(
                q.get(dialect.prefixParam()),
                q.get("nextToken"),
                limit(q, dialect.fc2Fields() ? 50 : 20),
                q.get("qualifier"),
                status,
                epochMs(q, "startedTimeBegin"),
                epochMs(q, "startedTimeEnd"),
                sort.equals("desc"),
                include.equals("true"));
    }

    static int limit(Map<String, String> q, int def) throws Refused {
        if (!q.containsKey("limit")) {
            return def;
        }
        int limit;
        try {
            limit = Integer.parseInt(q.get("limit"));
        } catch (NumberFormatException e) {
            throw new Refused(400, "InvalidArgument", "limit must be an integer in [1,100]");
        }
        if (limit < 1 || limit > 100) {
            throw new Refused(400, "InvalidArgument", "limit must be in [1,100], got " + limit);
        }
        return limit;
    }

    private static Long epochMs(Map<String, String> q, String name) throws Refused {
        String v = q.get(name);
        if (v == null) {
            return null;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new Refused(400, "InvalidArgument", name + " must be epoch milliseconds");
        }
    }

    /** Everything that defines the result set; a token is valid only for the same one. */
    String fingerprint() {
        return prefix + "|" + qualifier + "|" + status + "|" + begin + "|" + end + "|" + descending + "|"
                + includePayload;
    }
}
