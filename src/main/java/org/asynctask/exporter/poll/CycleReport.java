package org.asynctask.exporter.poll;

import java.util.ArrayList;
import java.util.List;

/** What one poll did, for the progress line and the counters. */
public final class CycleReport {
    public int apiCalls;
    public int pages;
    public int lookups;
    /** Pages of status checks of old open tasks. */
    public int checks;

    public int events;
    public int oldOpen;
    public boolean moreToFetch;
    /** End of the scan this poll completed (start-time bound), or 0: a backfill is done once it reaches its end. */
    public long scannedToMs;

    public final List<String> dropped = new ArrayList<>();

    /** Something was committed in this poll. */
    public boolean progressed() {
        return pages > 0 || lookups > 0 || checks > 0;
    }
}
