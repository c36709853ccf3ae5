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
  ad_spend_channels: AdSpendChannelsTable;
  web_sessions: WebSessionsTable;
  web_link_uses: WebLinkUsesTable;
  deliveries: DeliveriesTable;
  metric_failures: MetricFailuresTable;
  slack_owner_ids: SlackOwnerIdsTable;
  quarter_deals: QuarterDealsTable;
}

/** A metric owner's email resolved to a Slack user id, or to nobody (`user_id` null), at `resolved_at` (migration 0009). */
export interface SlackOwnerIdsTable {
  /** Lower case. */
  email: string;
  user_id: string | null;
  resolved_at: string;
}

/** One quarter deals snapshot per source, quarter and local day (migration 0010). Amounts in the company currency. */
export interface QuarterDealsTable {
  source: string;
  quarter: string;
  day: string;
  won_count: number;
  won_amount: number;
  lost_count: number;
  lost_amount: number;
  open_count: number;
  open_amount: number;
  fetched_at: string;
  warnings: string | null;
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
  /** JSON array of warning strings from the source (e.g. SimpleFIN errlist), or null; with the source's own stale verdict `{ warnings, stale }` (see warnings.ts). */
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
  /** Who holds the claim (`host:pid:nonce`); null on rows from before leases (0002). */
  owner: string | null;
  /** The claim is the owner's until this instant (ISO); past it, anyone may take the run over. */
  lease_until: string | null;
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
  /** Why the goal changed (required on /settings/goals; null for older rows). Added by 0004_web. */
  reason: Generated<string | null>;
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

/** A signed-in web session; the cookie holds the id, the table only its SHA-256 (0004_web). */
export interface WebSessionsTable {
  id_hash: string;
  user_id: string;
  /** Sent back in every form post of the session (CSRF). */
  csrf_token: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

/** One-time sign-in links already used, by the nonce inside the signed token (0004_web). */
export interface WebLinkUsesTable {
  nonce: string;
  user_id: string;
  used_at: string;
}

export type DeliveryStatus = 'claimed' | 'sending' | 'sent' | 'failed' | 'unconfirmed';

/** The ledger of deliveries outside Slack (email digests); see store/deliveries.ts. */
export interface DeliveriesTable {
  /** `email`. */
  kind: string;
  /** The digest: weekly, cash or support. */
  digest: string;
  period: string;
  /** sha256 of the sorted, lower-cased recipient list: a changed list is a new delivery. */
  recipients_hash: string;
  /** The recipient list, comma-separated, as sent. */
  recipients: string;
  status: DeliveryStatus;
  /** Derived from the digest, period and recipient list and stored before sending. */
  message_id: string;
  attempts: number;
  error: string | null;
  claimed_at: string;
  sent_at: string | null;
  updated_at: string;
}

export type DeliveryRow = Selectable<DeliveriesTable>;
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

/** Ad spend of one channel on one local day; a metric's daily value is the sum of its channels (migration 0007). */
export interface AdSpendChannelsTable {
  metric_id: string;
  day: string;
  channel: string;
  amount: number;
  currency: string;
  /** `import` (CSV) or the id of the source that fetched it. */
  source: string;
  fetched_at: string;
}
export type AdSpendChannelRow = Selectable<AdSpendChannelsTable>;
export type WebSessionRow = Selectable<WebSessionsTable>;
export type MetricFailureRow = Selectable<MetricFailuresTable>;
export type QuarterDealsRow = Selectable<QuarterDealsTable>;
