import type { Runtime } from '../runtime.js';
import { findMetric } from '../metrics/catalog.js';
import { localDayOf } from '../metrics/periods.js';
import { formatValue } from '../metrics/format.js';
import { validateEntry } from '../metrics/entry-validation.js';
import { weekLockChecker } from '../report/week-locks.js';
import { addManualEntry } from '../store/manual-entries.js';
import { UsageError } from './common.js';

export interface LogOptions {
  user: string;
  date?: string;
  note?: string;
}

/** `scorecard log <metric> <value>`: the same rules as the Slack modal; nothing is stored unless every check passes. */
export async function logCommand(rt: Runtime, query: string, valueText: string, opts: LogOptions): Promise<void> {
  const { match, suggestions } = findMetric(rt.config, query);
  if (!match) {
    throw new UsageError(
      `No metric matches "${query}".${suggestions.length ? ` Did you mean ${suggestions.map((m) => m.id).join(', ')}?` : ''}`,
    );
  }
  const now = rt.now();
  const today = localDayOf(now, rt.config.org.timezone);
  const isLocked = await weekLockChecker(rt.store, rt.config, now);
  // The CLI is an operator's tool: it may write into locked weeks only for admins listed in the config.
  const isAdmin = rt.config.slack.admins.includes(opts.user);
  const result = validateEntry(
    { metricId: match.id, day: opts.date ?? today, value: valueText, note: opts.note ?? null, actor: opts.user },
    { config: rt.config, today, isAdmin, isLocked },
  );
  if (!result.ok) {
    const lines = Object.entries(result.errors).map(([field, message]) => `  ${field}: ${message}`);
    throw new UsageError(`Nothing was logged:\n${lines.join('\n')}`);
  }
  const { entry } = result;
  const { entry: row } = await addManualEntry(
    rt.store,
    { metricId: entry.metric.id, day: entry.day, value: entry.value, userId: entry.userId, enteredBy: opts.user, note: entry.note },
    now,
  );
  process.stdout.write(`Logged ${formatValue(entry.value, entry.metric.unit)} ${entry.metric.name} for ${entry.day} (entry #${row.id}).\n`);
}
