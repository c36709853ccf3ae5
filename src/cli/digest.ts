import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';
import timezone from 'dayjs/plugin/timezone.js';
import type { Runtime } from '../runtime.js';
import { dailyDigest, weeklyScorecard } from '../report/queries.js';
import { renderDailyTerminal, renderWeeklyTerminal } from '../terminal/render.js';
import { printJson, refuseFuture, resolveWeek, terminalOptions, UsageError } from './common.js';

dayjs.extend(utc);
dayjs.extend(timezone);

export interface DigestOptions {
  period?: string;
  json?: boolean;
  /** Every column whatever the terminal width. */
  wide?: boolean;
}

export async function renderDigest(rt: Runtime, kind: string, opts: DigestOptions): Promise<string | object> {
  const ctx = rt.evalContext();
  const term = terminalOptions(ctx.now, opts.wide);
  if (kind === 'weekly') {
    const { week } = resolveWeek(opts.period, ctx);
    const { rowsRead: _rowsRead, ...view } = await weeklyScorecard(rt.store, ctx, week);
    return opts.json ? view : renderWeeklyTerminal(view, term);
  }
  if (kind === 'cash' || kind === 'support') {
    if (opts.period && !/^\d{4}-\d{2}-\d{2}$/.test(opts.period))
      throw new UsageError(`--period for the ${kind} digest is a day like 2026-11-20 — got "${opts.period}"`);
    if (opts.period) refuseFuture(opts.period, opts.period, ctx);
    // A daily digest for a past day is the digest as it would have read that morning.
    const dayCtx = opts.period ? rt.evalContext(morningOf(opts.period, ctx.periods.timezone)) : ctx;
    const view = await dailyDigest(rt.store, dayCtx, kind);
    return opts.json ? view : renderDailyTerminal(view, { ...term, now: dayCtx.now });
  }
  throw new UsageError(`unknown digest "${kind}" — use weekly, cash or support`);
}

/** 08:00 local on `day`, when the daily digests go out (dayjs resolves the wall time across DST changes). */
function morningOf(day: string, timezone: string): Date {
  return dayjs.tz(`${day} 08:00`, timezone).toDate();
}

export async function digestCommand(rt: Runtime, kind: string, opts: DigestOptions): Promise<void> {
  const out = await renderDigest(rt, kind, opts);
  if (typeof out === 'string') process.stdout.write(`${out}\n`);
  else printJson(out);
}
