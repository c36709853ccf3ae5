import { lastCompletedWeek, localDayOf, parsePeriod, weekContaining } from '../metrics/periods.js';
import type { Week } from '../metrics/types.js';
import type { EvalContext } from '../metrics/context.js';

/** How a week is named in /metric and /scorecard: `2026-W47`, a day inside it, `last-week` or `this-week`. */
export const PERIOD_HINT = 'a week like 2026-W47, a day like 2026-11-20, last-week or this-week';

const PERIOD_LIKE = /^(\d{4}-w\d{1,2}|\d{4}-\d{2}-\d{2}|last-week|this-week|lastweek|thisweek)$/i;

export type WeekChoice = { ok: true; week: Week; explicit: boolean } | { ok: false; message: string };

/** Whether a word is meant as a period (so `/metric cash 2026-W47` splits into query and period). */
export function looksLikePeriod(word: string): boolean {
  return PERIOD_LIKE.test(word.trim());
}

/** No input means the last completed week, as on the scorecard; this week is only shown when asked for. */
export function chooseWeek(input: string | undefined, ctx: EvalContext): WeekChoice {
  const text = (input ?? '').trim().toLowerCase();
  if (text === '') return { ok: true, week: lastCompletedWeek(ctx.now, ctx.periods), explicit: false };
  if (text === 'last-week' || text === 'lastweek') return { ok: true, week: lastCompletedWeek(ctx.now, ctx.periods), explicit: true };
  if (text === 'this-week' || text === 'thisweek') {
    return { ok: true, week: weekContaining(localDayOf(ctx.now, ctx.periods.timezone), ctx.periods), explicit: true };
  }
  const parsed = parsePeriod(text.toUpperCase(), ctx.periods);
  if (!parsed) return { ok: false, message: `"${input?.trim()}" isn't a period I know. Use ${PERIOD_HINT}.` };
  return { ok: true, week: parsed.kind === 'week' ? parsed.week : weekContaining(parsed.day, ctx.periods), explicit: true };
}

/** Splits `/metric` text into the metric query and an optional trailing period. */
export function splitQueryAndPeriod(text: string): { query: string; period: string | undefined } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const last = words[words.length - 1];
  if (words.length > 1 && last !== undefined && looksLikePeriod(last)) return { query: words.slice(0, -1).join(' '), period: last };
  return { query: words.join(' '), period: undefined };
}
