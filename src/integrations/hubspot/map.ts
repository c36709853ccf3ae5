import { addDays, dayStart, daysInRange } from '../../metrics/periods.js';
import type { LocalDay } from '../../metrics/types.js';

/** Small pure helpers that turn one HubSpot record into a contribution to a metric. */

export interface SearchRecord {
  id: string;
  ownerId: string | undefined;
  /** The search's date property as epoch ms. */
  at: number;
  properties: Record<string, string | null>;
}

/** HubSpot date properties arrive as epoch-ms strings (date) or ISO strings (datetime). */
export function parseInstant(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  const ms = /^-?\d+$/.test(trimmed) ? Number(trimmed) : Date.parse(trimmed);
  return Number.isFinite(ms) ? ms : undefined;
}

/** A money property (a decimal string) in whole cents, so sums never drift; undefined when empty or not a number. */
export function toCents(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim().replace(/,/g, '');
  if (trimmed === '' || !/^-?\d*\.?\d+(e[+-]?\d+)?$/i.test(trimmed)) return undefined;
  return Math.round(Number(trimmed) * 100);
}

/**
 * Whole-word, case-insensitive match of any keyword ("DM" matches "spoke to the DM", not "admin"),
 * on text with HTML tags removed (note and call bodies are HTML).
 */
export function keywordMatcher(keywords: readonly string[]): (text: string | null | undefined) => boolean {
  const patterns = keywords.map((keyword) => {
    const body = keyword
      .trim()
      .split(/\s+/)
      .map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('\\s+');
    return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, 'iu');
  });
  return (text) => {
    if (!text) return false;
    const plain = text.replace(/<[^>]*>/g, ' ').replace(/&nbsp;|&#160;/gi, ' ');
    return patterns.some((pattern) => pattern.test(plain));
  };
}

export const HOUR_MS = 3_600_000;

/** The index of the local day holding `at`, given ascending day starts and the window end (exclusive); -1 outside. */
export function dayIndex(boundaries: readonly number[], at: number): number {
  const last = boundaries.length - 1;
  if (last < 1 || at < boundaries[0]! || at >= boundaries[last]!) return -1;
  let lo = 0;
  let hi = last - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (boundaries[mid]! <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export type Measure = (record: SearchRecord) => number | undefined;

/** A run of consecutive days searched together. */
export interface Window {
  days: LocalDay[];
  /** Local midnight of each day, then of the day after the last (epoch ms). */
  boundaries: number[];
}

export function splitIntoWindows(from: LocalDay, to: LocalDay, windowDays: number, tz: string): Window[] {
  const days = daysInRange(from, addDays(to, 1));
  const windows: Window[] = [];
  for (let i = 0; i < days.length; i += windowDays) {
    const chunk = days.slice(i, i + windowDays);
    const boundaries = chunk.map((day) => dayStart(day, tz).getTime());
    boundaries.push(dayStart(addDays(chunk[chunk.length - 1]!, 1), tz).getTime());
    windows.push({ days: chunk, boundaries });
  }
  return windows;
}
