import type { Logger } from 'pino';
import type { LocalDay } from '../metrics/types.js';
import { warningsColumn } from '../store/warnings.js';
import type { NewDailyValue } from '../store/types.js';
import { isSourceError } from './errors.js';
import type { CollectedValue } from './source.js';

/** What the refresh makes of a source's values before they are written: checks, rows, and error text. Pure. */

/** Values for metrics the run did not ask for, or days outside the window, are a source bug: dropped, logged. */
export function acceptValue(
  value: CollectedValue,
  wanted: Set<string>,
  request: { from: LocalDay; to: LocalDay },
  logger: Logger,
): boolean {
  const ok = wanted.has(value.metricId) && value.day >= request.from && value.day <= request.to && Number.isFinite(value.value);
  if (!ok) logger.warn({ metric: value.metricId, day: value.day }, 'dropped a value outside the requested metrics or window');
  return ok;
}

/** Values that are also a channel of another metric (ad spend), as channel rows. */
export function channelRows(values: readonly CollectedValue[], source: string, now: Date) {
  return values.flatMap((value) =>
    value.feeds
      ? [
          {
            metric_id: value.feeds.metricId,
            day: value.day,
            channel: value.feeds.channel,
            amount: value.value,
            currency: value.feeds.currency,
            source,
            fetched_at: now.toISOString(),
          },
        ]
      : [],
  );
}

/** The error text without SourceError's `source: class:` prefix, which the summary shows in its own columns. */
export function detailOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (!isSourceError(error)) return `${error.name}: ${error.message}`;
  const prefix = `${error.source}: ${error.errorClass}: `;
  return error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
}

export function toRow(value: CollectedValue, source: string, now: Date, redactText: (text: string) => string): NewDailyValue {
  const warnings = value.warnings?.filter((warning) => warning.trim() !== '').map(redactText) ?? [];
  return {
    metric_id: value.metricId,
    day: value.day,
    value: value.value,
    numerator: value.numerator ?? null,
    denominator: value.denominator ?? null,
    source,
    fetched_at: asOfOf(value, now),
    warnings: warningsColumn(warnings, value.staleBecause ? redactText(value.staleBecause) : undefined),
  };
}

/** A ratio with nothing on either side (no tickets closed, no hours worked): nothing to divide. */
export function isEmptyRatio(value: CollectedValue): boolean {
  return value.numerator === 0 && value.denominator === 0;
}

/** The value's own "as of" when the source dated it earlier than the fetch (a bank balance), else the fetch time. */
function asOfOf(value: CollectedValue, now: Date): string {
  const at = value.asOf ? new Date(value.asOf) : undefined;
  return at && !Number.isNaN(at.getTime()) && at < now ? at.toISOString() : now.toISOString();
}
