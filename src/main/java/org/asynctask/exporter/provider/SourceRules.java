package org.asynctask.exporter.provider;

import java.time.Duration;
import java.util.Set;

/**
 * What a provider's sources may and must configure, which the configuration's validation asks instead of comparing
 * provider ids: a new provider states its own rules ({@link TaskProvider#sourceRules}).
 *
 * @param maxPageSize         the largest {@code page-size} the API accepts
 * @param namespaced          each listed function names its namespace ({@code service/function}: FC 2.0)
 * @param signatures          the signing schemes {@code signature} may choose, none when there is no choice
 * @param authToken           an IAM token ({@code auth-token}) may replace the access key (FunctionGraph)
 * @param timeZone            the API's time strings carry no zone, {@code time-zone} says which (SCF)
 * @param oldTaskCheckDefault the default {@code old-task-check-interval}: rarer where the API lists ends by end
 *                            time and the checks in turns are only a safety net
 */
public record SourceRules(
        int maxPageSize,
        boolean namespaced,
        Set<String> signatures,
        boolean authToken,
        boolean timeZone,
        Duration oldTaskCheckDefault) {
    public SourceRules {
        signatures = Set.copyOf(signatures);
    }

    /** The rules of a provider with no key of its own. */
    public static SourceRules of(int maxPageSize, boolean listsByEndTime) {
        return new SourceRules(maxPageSize, false, Set.of(), false, false, Duration.ofMinutes(listsByEndTime ? 10 : 1));
    }

    public SourceRules namespacedFunctions() {
        return new SourceRules(maxPageSize, true, signatures, authToken, timeZone, oldTaskCheckDefault);
    }

    public SourceRules withSignatures(Set<String> choice) {
        return new SourceRules(maxPageSize, namespaced, choice, authToken, timeZone, oldTaskCheckDefault);
    }

    public SourceRules withAuthToken() {
        return new SourceRules(maxPageSize, namespaced, signatures, true, timeZone, oldTaskCheckDefault);
    }

    public SourceRules withTimeZone() {
        return new SourceRules(maxPageSize, namespaced, signatures, authToken, true, oldTaskCheckDefault);
    }
}
