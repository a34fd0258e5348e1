package org.asynctask.exporter.poll;

import org.apache.camel.support.DefaultHeaderFilterStrategy;

/**
 * Header filter of the provider calls. Camel's default HTTP filter drops {@code Date} and
 * {@code Content-Type}, which signatures cover (the FC signature signs {@code Date}). The poll route
 * replaces every header with exactly the signed request's before the call, so only Camel's own
 * headers and the ones the HTTP client sets itself need filtering.
 */
public final class SignedHeaderFilter extends DefaultHeaderFilterStrategy {
    public SignedHeaderFilter() {
        setLowerCase(true);
        setOutFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        setInFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        getOutFilter().add("host");
        getOutFilter().add("content-length");
        getOutFilter().add("transfer-encoding");
        getOutFilter().add("connection");
    }
}
