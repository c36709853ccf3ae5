import type { z } from 'zod';
import { addDays, daysInRange, earlierDay } from '../metrics/periods.js';
import type { LocalDay } from '../metrics/types.js';
import { SourceError } from './errors.js';

/** Small pieces every source needs the same way. */

/**
 * Parses a source's settings or a metric's query at collect time. The config loader already validated them, so a
 * failure here means the config changed under a running process: a `config` error naming the YAML path.
 */
export function parseOrConfigError<S extends z.ZodTypeAny>(source: string, schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${[what, ...issue.path.map(String)].join('.')}: ${issue.message}`).join('; ');
  throw new SourceError('config', source, issues);
}

/** `[from, to]` (inclusive) as consecutive runs of at most `size` days, so a long backfill pages through bounded windows. */
export function* dayChunks(from: LocalDay, to: LocalDay, size: number): Generator<LocalDay[]> {
  for (let start = from; start <= to; ) {
    const last = addDays(start, size - 1) < to ? addDays(start, size - 1) : to;
    yield daysInRange(start, addDays(last, 1));
    start = addDays(last, 1);
  }
}

/** The window's days up to `today`: days after today have not happened, so nothing is collected or stored for them. */
export function daysUpToToday(window: { from: LocalDay; to: LocalDay }, today: LocalDay): LocalDay[] {
  const lastDay = earlierDay(window.to, today);
  return window.from <= lastDay ? daysInRange(window.from, addDays(lastDay, 1)) : [];
}
