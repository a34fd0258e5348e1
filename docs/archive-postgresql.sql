-- The task history archive: one row per event the exporter publishes (docs/archive.md).
-- The event id is the primary key, so a replay (after a crash, a failed batch, a backfill) is harmless.
CREATE TABLE IF NOT EXISTS task_events (
    id       text PRIMARY KEY,                                -- the CloudEvent id
    task_key text NOT NULL,                                   -- provider/account/region/[namespace/]function/task id
    status   text NOT NULL,                                   -- normalized: QUEUED, RUNNING, SUCCEEDED, FAILED, ...
    time     timestamptz NOT NULL,                            -- when the task entered the status
    event    jsonb NOT NULL,                                  -- the whole CloudEvent
    seq      bigint GENERATED ALWAYS AS IDENTITY              -- the order rows arrived in
);
CREATE INDEX IF NOT EXISTS task_events_by_task ON task_events (task_key, time);
CREATE INDEX IF NOT EXISTS task_events_by_status_time ON task_events (status, time);
