import type { Runtime, RuntimeOptions } from '../runtime.js';
import { parseNow } from '../config/now.js';
import { chooseWeek } from '../report/period.js';
import type { Week } from '../metrics/types.js';
import type { EvalContext } from '../metrics/context.js';
import { localDayOf } from '../metrics/periods.js';
import { toJsonView } from '../report/json.js';
import type { TerminalOptions } from '../terminal/render.js';
import { terminalWidth } from '../terminal/width.js';

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
  // Every command reuses the config this build validated before while the file is unchanged (src/config/cache.ts).
  return { configPath: global.config, databaseUrl: global.database, now: parseNow(global.now), cacheConfig: true, ...extra };
}

export async function withRuntime<T>(
  global: GlobalOptions,
  fn: (rt: Runtime) => Promise<T>,
  extra: Partial<RuntimeOptions> = {},
): Promise<T> {
  const { openRuntime } = await import('../runtime.js');
  const rt = await openRuntime(runtimeOptions(global, extra));
  try {
    return await fn(rt);
  } finally {
    await rt.close();
  }
}

/** `--period 2026-W47`, a day inside the wanted week, `last-week`/`this-week`, or nothing (the last completed week). */
export function resolveWeek(input: string | undefined, ctx: EvalContext): { week: Week; explicit: boolean } {
  const choice = chooseWeek(input, ctx);
  if (!choice.ok) throw new UsageError(`--period: ${choice.message}`);
  refuseFuture(choice.week.start, choice.week.label, ctx);
  return { week: choice.week, explicit: choice.explicit };
}

/** A period that has not started has nothing to show: say so (exit 2) rather than print an empty report. */
export function refuseFuture(firstDay: string, label: string, ctx: EvalContext): void {
  const today = localDayOf(ctx.now, ctx.periods.timezone);
  if (firstDay > today) throw new UsageError(`--period: ${label} is in the future (today is ${today}); pick a period that has started`, 2);
}

/** Every `--json` output goes through here: snake_case keys and structured goals (see `toJsonView`). */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(toJsonView(value), null, 2)}\n`);
}

export const useColor = () => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;

/** How terminal output is laid out: colour on a TTY, fitted to its width (or COLUMNS, or 100) unless `--wide`. */
export function terminalOptions(now: Date, wide = false): TerminalOptions {
  return { color: useColor(), now, width: wide ? null : terminalWidth(process.stdout, process.env) };
}
