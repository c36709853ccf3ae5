import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/**
 * The SQLite schema as Kysely sees it. Times are ISO-8601 UTC strings (`2026-11-16T14:03:00.000Z`);
 * local days are `YYYY-MM-DD` in the org timezone, so day bucketing is decided once, at write time.
 */
export interface Database {
  daily_values: DailyValuesTable;
  manual_entries: ManualEntriesTable;
  digest_runs: DigestRunsTable;
  source_runs: SourceRunsTable;
  source_health: SourceHealthTable;
  sync_state: SyncStateTable;
  goal_changes: GoalChangesTable;
  audit_log: AuditLogTable;
  metric_failures: MetricFailuresTable;
}

/** The last refresh failure of one metric whose source otherwise refreshed (migration 0008). */
export interface MetricFailuresTable {
  metric_id: string;
  source: string;
  error_class: string;
  /** Redacted. */
  error: string;
  failed_at: string;
}

export interface DailyValuesTable {
  metric_id: string;
  day: string;
  value: number;
  numerator: number | null;
  denominator: number | null;
  source: string;
  fetched_at: string;
  /** JSON array of warning strings from the source (e.g. SimpleFIN errlist), or null. */
  warnings: string | null;
}

export interface ManualEntriesTable {
  id: Generated<number>;
  metric_id: string;
  day: string;
  value: number;
  /** Slack user id (or CLI --user) the entry counts for. */
  user_id: string;
  /** Who typed it, when logging on behalf of someone else. */
  entered_by: string;
  note: string | null;
  created_at: string;
  /** The entry this one replaces (an edit); the old row is kept. */
  supersedes: number | null;
  deleted_at: string | null;
  deleted_by: string | null;
  /** Makes a repeated submission of the same Slack view (or CLI retry) store one entry. */
  idempotency_key: string | null;
}

export type DigestKind = 'weekly' | 'cash' | 'support';
export type DigestRunStatus = 'claimed' | 'posted' | 'failed';

export interface DigestRunsTable {
  id: Generated<number>;
  kind: DigestKind;
  /** `2026-W47` for weekly, `2026-11-20` for daily digests. */
  period: string;
  channel: string;
  status: DigestRunStatus;
  message_ts: string | null;
  attempts: number;
  error: string | null;
  /** JSON of the figures posted, to list what changed when the message is updated in place. */
  snapshot: string | null;
  claimed_at: string;
  posted_at: string | null;
  updated_at: string;
}

export interface SourceRunsTable {
  id: Generated<number>;
  source: string;
  started_at: string;
  finished_at: string | null;
  from_day: string;
  to_day: string;
  status: 'running' | 'ok' | 'failed';
  calls: number;
  rate_limited: number;
  values_written: number;
  duration_ms: number | null;
  error_class: string | null;
  error: string | null;
}

export interface SourceHealthTable {
  source: string;
  last_success_at: string | null;
  last_failure_at: string | null;
  consecutive_failures: number;
  last_error_class: string | null;
  last_error: string | null;
  /** When the "source failing" alert went out; cleared when the recovery message is sent. */
  alerted_at: string | null;
}

export interface SyncStateTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface GoalChangesTable {
  id: Generated<number>;
  metric_id: string;
  /** JSON of the goal (op, value / min, max, tolerances). */
  goal: string;
  effective_from: string;
  /** Set for a one-period override (a week label), null for a change from a date on. */
  period: string | null;
  changed_by: string;
  created_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string;
  action: string;
  subject: string;
  /** JSON detail; never contains secrets. */
  detail: string | null;
}

export type DailyValueRow = Selectable<DailyValuesTable>;
export type NewDailyValue = Insertable<DailyValuesTable>;
export type ManualEntryRow = Selectable<ManualEntriesTable>;
export type NewManualEntry = Insertable<ManualEntriesTable>;
export type DigestRunRow = Selectable<DigestRunsTable>;
export type DigestRunUpdate = Updateable<DigestRunsTable>;
export type SourceRunRow = Selectable<SourceRunsTable>;
export type SourceHealthRow = Selectable<SourceHealthTable>;
export type GoalChangeRow = Selectable<GoalChangesTable>;
export type AuditRow = Selectable<AuditLogTable>;
export type MetricFailureRow = Selectable<MetricFailuresTable>;
