export * from './types.js';
export {
  parseDatabaseUrl,
  openStore,
  backupTo,
  writeTransaction,
  type Store,
  type SqliteStore,
  type PostgresStore,
  type DatabaseLocation,
} from './db.js';
export * from './daily-values.js';
export * from './manual-entries.js';
export * from './digest-runs.js';
export * from './source-health.js';
export * from './sync-state.js';
export * from './goal-changes.js';
export * from './quarter-deals.js';
export { appendAudit, listAudit, type AuditInput } from './audit.js';
