import { openRuntime, parseNow, type Runtime, type RuntimeOptions } from '../runtime.js';
import { parsePeriod, lastCompletedWeek, weekContaining } from '../metrics/periods.js';
import type { Week } from '../metrics/types.js';
import type { EvalContext } from '../digests/evaluate.js';

/** Options every command accepts (commander passes them as the program's global options). */
export interface GlobalOptions {
  now?: string;
  config?: string;
  database?: string;
}

/** A user mistake: printed as one clear message, exit code 1 (or the given one), no stack trace. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

export function runtimeOptions(global: GlobalOptions, extra: Partial<RuntimeOptions> = {}): RuntimeOptions {
  return { configPath: global.config, databaseUrl: global.database, now: parseNow(global.now), ...extra };
}

export async function withRuntime<T>(global: GlobalOptions, fn: (rt: Runtime) => Promise<T>, extra: Partial<RuntimeOptions> = {}): Promise<T> {
  const rt = await openRuntime(runtimeOptions(global, extra));
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

/** `--period 2026-W47`, a day inside the wanted week, `last-week`/`this-week`, or nothing (the last completed week). */
export function resolveWeek(input: string | undefined, ctx: EvalContext): { week: Week; explicit: boolean } {
  if (!input || input === 'last-week') return { week: lastCompletedWeek(ctx.now, ctx.periods), explicit: Boolean(input) };
  if (input === 'this-week') return { week: weekContaining(new Intl.DateTimeFormat('en-CA', { timeZone: ctx.periods.timezone }).format(ctx.now), ctx.periods), explicit: true };
  const parsed = parsePeriod(input, ctx.periods);
  if (!parsed) throw new UsageError(`--period must be a week like 2026-W47, a date like 2026-11-20, last-week or this-week — got "${input}"`);
  return { week: parsed.kind === 'week' ? parsed.week : weekContaining(parsed.day, ctx.periods), explicit: true };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export const useColor = () => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
