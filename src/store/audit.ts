import type { Kysely } from 'kysely';
import type { Store } from './db.js';
import type { AuditRow, Database } from './types.js';

export interface AuditInput {
  actor: string;
  action: string;
  subject: string;
  detail?: unknown;
}

/** Keys whose values never belong in the audit log, whatever a caller passes in `detail`. */
const SECRET_KEY = /token|secret|password|passwd|authorization|api[_-]?key|access[_-]?url|cookie/i;

function scrubSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrubSecrets);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [key, SECRET_KEY.test(key) ? '[redacted]' : scrubSecrets(inner)]),
    );
  }
  return value;
}

/** Writes through `db`, which may be a transaction, so the audit row commits or rolls back with its change. */
export async function insertAudit(db: Kysely<Database>, input: AuditInput, now: Date): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: now.toISOString(),
      actor: input.actor,
      action: input.action,
      subject: input.subject,
      detail: input.detail === undefined ? null : JSON.stringify(scrubSecrets(input.detail)),
    })
    .execute();
}

export async function appendAudit(store: Store, input: AuditInput, now: Date): Promise<void> {
  await insertAudit(store.db, input, now);
}

/** Newest first. */
export async function listAudit(store: Store, opts: { subject?: string; limit: number }): Promise<AuditRow[]> {
  let query = store.db.selectFrom('audit_log').selectAll();
  if (opts.subject !== undefined) query = query.where('subject', '=', opts.subject);
  return query.orderBy('id', 'desc').limit(opts.limit).execute();
}
