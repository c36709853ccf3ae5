import type { Runtime, RuntimeOptions } from '../runtime.js';
import { parseNow } from '../config/now.js';
import { chooseWeek } from '../report/period.js';
import type { Week } from '../metrics/types.js';
import type { EvalContext } from '../metrics/context.js';

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
  return { week: choice.week, explicit: choice.explicit };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export const useColor = () => Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
