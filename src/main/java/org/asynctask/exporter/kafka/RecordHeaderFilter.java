package org.asynctask.exporter.kafka;

import org.apache.camel.Exchange;
import org.apache.camel.spi.HeaderFilterStrategy;

/**
 * What of a Camel message's headers reaches its Kafka record in the publish-kafka route: the content type and the
 * CloudEvents attributes ({@code ce_*}), nothing else (no Camel, HTTP or provider header).
 */
public final class RecordHeaderFilter implements HeaderFilterStrategy {
    /** True drops the header: camel-kafka asks this of each header it would write to a record. */
    @Override
    public boolean applyFilterToCamelHeaders(String name, Object value, Exchange exchange) {
        return !(name.equals("content-type") || name.startsWith("ce_"));
    }

    /** Nothing is consumed in that route. */
    @Override
    public boolean applyFilterToExternalHeaders(String name, Object value, Exchange exchange) {
        return true;
    }
}
