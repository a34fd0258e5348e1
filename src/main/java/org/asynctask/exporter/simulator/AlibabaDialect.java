package org.asynctask.exporter.simulator;

import java.util.Set;
import java.util.regex.Pattern;
import org.asynctask.exporter.provider.fc2.Fc2Provider;
import org.asynctask.exporter.provider.fc3.Fc3Provider;

/** What differs between the two Alibaba API versions {@link AlibabaSimulator} answers as. */
record AlibabaDialect(
        String provider,
        Pattern listPath,
        String discoveryPath,
        String prefixParam,
        String listField,
        Set<String> statuses,
        boolean fcSignature,
        boolean fc2Fields) {

    static final AlibabaDialect FC3 = new AlibabaDialect(
            Fc3Provider.ID,
            Pattern.compile("/2023-03-30/functions/([^/]+)/async-tasks"),
            null,
            "prefix",
            "tasks",
            Set.of(
                    "Enqueued",
                    "Dequeued",
                    "Running",
                    "Succeeded",
                    "Failed",
                    "Stopped",
                    "Stopping",
                    "Expired",
                    "Invalid",
                    "Retrying"),
            false,
            false);

    static final AlibabaDialect FC2 = new AlibabaDialect(
            Fc2Provider.ID,
            Pattern.compile("/2021-04-06/services/([^/]+)/functions/([^/]+)/stateful-async-invocations"),
            "/2021-04-06/stateful-async-invocation-functions",
            "invocationIdPrefix",
            "invocations",
            Set.of(
                    "Enqueued",
                    "Running",
                    "Succeeded",
                    "Failed",
                    "Stopped",
                    "Stopping",
                    "Expired",
                    "Invalid",
                    "Retrying"),
            true,
            true);
}
