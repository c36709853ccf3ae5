import type { Config, Metric } from '../config/schema.js';
import type { LocalDay } from './types.js';
import { formatValue } from './format.js';
import { isValidDay } from './periods.js';

/**
 * The rules for a manual entry, shared by the Slack modal (inline errors per field) and `scorecard log`
 * (one message). Pure: the caller says who is asking, what today is and which days are locked.
 */

export type EntryField = 'metric' | 'date' | 'value' | 'note' | 'on_behalf';

export interface EntryInput {
  metricId: string | undefined;
  day: string | undefined;
  /** As typed: the modal's number_input and the CLI both hand over text. */
  value: string | number | undefined;
  note?: string | null;
  /** Who is submitting. */
  actor: string;
  /** Set when logging for someone else. */
  onBehalfOf?: string | null;
}

export interface EntryRules {
  config: Config;
  today: LocalDay;
  isAdmin: boolean;
  /** True when the day's week is locked (its digest went out more than lock_after_days ago). */
  isLocked: (day: LocalDay) => boolean;
}

export interface ValidEntry {
  metric: Metric;
  day: LocalDay;
  value: number;
  note: string | null;
  userId: string;
}

export type EntryValidation = { ok: true; entry: ValidEntry } | { ok: false; errors: Partial<Record<EntryField, string>> };

export const NOTE_MAX = 500;

export function isManualMetric(metric: Pick<Metric, 'source' | 'manual'>): boolean {
  return metric.source === 'manual' || metric.manual;
}

export function entryBoundsOf(metric: Metric): { min: number; max: number; decimal: boolean } {
  return { min: metric.entry?.min ?? 0, max: metric.entry?.max ?? 1000, decimal: metric.entry?.decimal ?? false };
}

/** Plain decimals only: no hex (0x10), exponents (1e1), signs (+5) or bare points (5., .5). */
export const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;
/** No scorecard predates this; an older date is a typo (0026 for 2026), not history. */
export const EARLIEST_ENTRY_DAY = '2000-01-01';

/** The number typed, or why it is not one: shared by the modal, the CLI and CSV import. */
export function parsePlainNumber(
  raw: string | number | undefined,
): { ok: true; value: number; decimals: number } | { ok: false; message: string } {
  if (typeof raw === 'number') raw = Number.isFinite(raw) ? String(raw) : '';
  const text = (raw ?? '').trim();
  if (text === '') return { ok: false, message: 'Enter a number.' };
  if (!PLAIN_DECIMAL.test(text)) return { ok: false, message: `Enter a number, plain digits like 12 or 12.5 — "${text}" isn't one.` };
  return { ok: true, value: Number(text), decimals: text.split('.')[1]?.length ?? 0 };
}

/** Null when `day` is a real calendar date from EARLIEST_ENTRY_DAY up to `today`; else what is wrong with it. */
export function checkEntryDay(day: string | undefined, today: LocalDay): string | null {
  const text = day ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return 'Pick a date (YYYY-MM-DD).';
  if (!isValidDay(text)) return `${text} is not a date on the calendar.`;
  if (text < EARLIEST_ENTRY_DAY) return `That date is before ${EARLIEST_ENTRY_DAY}; check the year.`;
  if (text > today) return `That date is in the future; today is ${today}.`;
  return null;
}

/** Decimal places an entry may carry: cents for currency, four for other decimal metrics, none for counts. */
function maxDecimals(metric: Metric): number {
  if (!entryBoundsOf(metric).decimal) return 0;
  return metric.unit === 'currency' ? 2 : 4;
}

export function validateEntry(input: EntryInput, rules: EntryRules): EntryValidation {
  const errors: Partial<Record<EntryField, string>> = {};
  const config = rules.config.metrics[input.metricId ?? ''];
  const metric = config ? { ...config, id: input.metricId! } : undefined;

  if (!metric) errors.metric = input.metricId ? `"${input.metricId}" is not a metric in the scorecard.` : 'Choose a metric.';
  else if (!isManualMetric(metric)) errors.metric = `${metric.name} comes from ${metric.source}; it can't be logged by hand.`;

  const day = input.day ?? '';
  const dayProblem = checkEntryDay(input.day, rules.today);
  if (dayProblem) errors.date = dayProblem;
  else if (!rules.isAdmin && rules.isLocked(day))
    errors.date = 'That week is locked: its scorecard went out over a week ago. Ask an admin to change it.';

  const number = parsePlainNumber(input.value);
  const value = number.ok ? number.value : Number.NaN;
  if (!number.ok) errors.value = number.message;
  else if (metric && !errors.metric) {
    const bounds = entryBoundsOf(metric);
    const places = maxDecimals(metric);
    if (places === 0 && number.decimals > 0) errors.value = `${metric.name} is counted in whole numbers.`;
    else if (number.decimals > places) errors.value = `${metric.name} takes at most ${places} decimal places.`;
    else if (value < bounds.min || value > bounds.max)
      errors.value = `Enter a value between ${formatValue(bounds.min, metric.unit)} and ${formatValue(bounds.max, metric.unit)}.`;
  }

  const note = input.note?.trim() || null;
  if (note && note.length > NOTE_MAX) errors.note = `Keep the note under ${NOTE_MAX} characters (it has ${note.length}).`;

  const onBehalf = input.onBehalfOf && input.onBehalfOf !== input.actor ? input.onBehalfOf : null;
  if (onBehalf && !rules.isAdmin) errors.on_behalf = 'Only scorecard admins can log for someone else.';

  if (Object.keys(errors).length || !metric) return { ok: false, errors };
  return { ok: true, entry: { metric, day, value, note, userId: onBehalf ?? input.actor } };
}
