import { sql, type Kysely, type Migration } from 'kysely';
import { executeSqliteDdl } from '../dialect.js';

/** `YYYY-MM-DD`; local days sort and range-compare as text. */
const LOCAL_DAY = `'[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'`;

/**
 * Written for SQLite and shipped; on Postgres `executeSqliteDdl` maps it (see dialect.ts), so it is never edited.
 * STRICT tables reject values of the wrong type instead of silently storing them.
 * daily_values is WITHOUT ROWID: its primary key (metric_id, day) is the table's own order, so a range read for
 * a set of metrics over N weeks is a seek per metric plus a contiguous scan — never a pass over all history.
 */
const statements = [
  `CREATE TABLE daily_values (
    metric_id TEXT NOT NULL,
    day TEXT NOT NULL CHECK (day GLOB ${LOCAL_DAY}),
    value REAL NOT NULL,
    numerator REAL,
    denominator REAL,
    source TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    warnings TEXT,
    PRIMARY KEY (metric_id, day)
  ) WITHOUT ROWID, STRICT`,

  `CREATE TABLE manual_entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    metric_id TEXT NOT NULL,
    day TEXT NOT NULL CHECK (day GLOB ${LOCAL_DAY}),
    value REAL NOT NULL,
    user_id TEXT NOT NULL,
    entered_by TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL,
    supersedes INTEGER REFERENCES manual_entries (id),
    deleted_at TEXT,
    deleted_by TEXT,
    idempotency_key TEXT UNIQUE
  ) STRICT`,
  `CREATE INDEX manual_entries_metric_day ON manual_entries (metric_id, day)`,
  `CREATE INDEX manual_entries_user_created ON manual_entries (user_id, created_at)`,
  // One successor per version: history stays a single chain even if two edits race.
  `CREATE UNIQUE INDEX manual_entries_supersedes ON manual_entries (supersedes) WHERE supersedes IS NOT NULL`,

  `CREATE TABLE digest_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'posted', 'failed')),
    message_ts TEXT,
    attempts INTEGER NOT NULL CHECK (attempts >= 1),
    error TEXT,
    snapshot TEXT,
    claimed_at TEXT NOT NULL,
    posted_at TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (kind, period, channel)
  ) STRICT`,

  `CREATE TABLE source_runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    source TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    from_day TEXT NOT NULL,
    to_day TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed')),
    calls INTEGER NOT NULL DEFAULT 0,
    rate_limited INTEGER NOT NULL DEFAULT 0,
    values_written INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER,
    error_class TEXT,
    error TEXT
  ) STRICT`,
  `CREATE INDEX source_runs_started ON source_runs (started_at)`,

  `CREATE TABLE source_health (
    source TEXT PRIMARY KEY NOT NULL,
    last_success_at TEXT,
    last_failure_at TEXT,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    last_error_class TEXT,
    last_error TEXT,
    alerted_at TEXT
  ) STRICT`,

  `CREATE TABLE sync_state (
    key TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL
  ) STRICT`,

  `CREATE TABLE goal_changes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    metric_id TEXT NOT NULL,
    goal TEXT NOT NULL,
    effective_from TEXT NOT NULL CHECK (effective_from GLOB ${LOCAL_DAY}),
    period TEXT,
    changed_by TEXT NOT NULL,
    created_at TEXT NOT NULL
  ) STRICT`,
  `CREATE INDEX goal_changes_metric ON goal_changes (metric_id)`,

  `CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT
  ) STRICT`,
  `CREATE INDEX audit_log_at ON audit_log (at)`,
  `CREATE INDEX audit_log_subject ON audit_log (subject, id)`,
];

const tables = ['audit_log', 'goal_changes', 'sync_state', 'source_health', 'source_runs', 'digest_runs', 'manual_entries', 'daily_values'];

export const initial: Migration = {
  async up(db: Kysely<any>) {
    await executeSqliteDdl(db, statements);
  },
  async down(db: Kysely<any>) {
    for (const table of tables) await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db);
  },
};
