import type { Config, Metric } from '../config/schema.js';
import type { LocalDay } from './types.js';
import { formatValue } from './format.js';

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

export function validateEntry(input: EntryInput, rules: EntryRules): EntryValidation {
  const errors: Partial<Record<EntryField, string>> = {};
  const config = rules.config.metrics[input.metricId ?? ''];
  const metric = config ? { ...config, id: input.metricId! } : undefined;

  if (!metric) errors.metric = input.metricId ? `"${input.metricId}" is not a metric in the scorecard.` : 'Choose a metric.';
  else if (!isManualMetric(metric)) errors.metric = `${metric.name} comes from ${metric.source}; it can't be logged by hand.`;

  const day = input.day ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) errors.date = 'Pick a date (YYYY-MM-DD).';
  else if (day > rules.today) errors.date = `That date is in the future; today is ${rules.today}.`;
  else if (!rules.isAdmin && rules.isLocked(day))
    errors.date = 'That week is locked: its scorecard went out over a week ago. Ask an admin to change it.';

  const text = typeof input.value === 'number' ? String(input.value) : (input.value ?? '').trim();
  const value = Number(text);
  if (text === '' || !Number.isFinite(value)) errors.value = `Enter a number${text ? ` — "${text}" isn't one` : ''}.`;
  else if (metric && !errors.metric) {
    const bounds = entryBoundsOf(metric);
    if (!bounds.decimal && !Number.isInteger(value)) errors.value = `${metric.name} is counted in whole numbers.`;
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
