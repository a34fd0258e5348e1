package org.asynctask.exporter.provider;

import java.time.Instant;
import java.util.List;

/** How a provider lists the functions that have async tasks, for sources with {@code discover=true}. */
public interface FunctionDiscovery {

    /** One page of functions; {@code nextToken} null at the end. */
    record FunctionPage(List<FunctionRef> functions, String nextToken) {}

    HttpCall request(SourceConfig source, String pageToken, Instant now);

    /**
     * @param pageToken the token the request was made with (null for the first page)
     * @throws ProviderException for error answers and unreadable bodies, classified
     */
    FunctionPage parse(SourceConfig source, String pageToken, HttpReply reply);
}
