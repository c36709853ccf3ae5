import cliProgress from 'cli-progress';
import type { Runtime } from '../runtime.js';
import { refresh, formatRefreshSummary, type RefreshSummary } from '../integrations/refresh.js';
import { REFRESH_SOURCES } from '../integrations/registry.js';
import { daysInRange, addDays } from '../metrics/periods.js';
import { UsageError } from './common.js';

export interface RefreshOptions {
  source?: string[];
  from?: string;
  to?: string;
  /** Re-collect the range only (no modification-cursor corrections of older days). */
  full?: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `scorecard refresh`: collect, upsert, record; a progress bar on a TTY when the range is longer than a week. */
export async function refreshCommand(rt: Runtime, opts: RefreshOptions, notify?: (text: string) => Promise<void>): Promise<RefreshSummary> {
  for (const id of opts.source ?? []) {
    if (!REFRESH_SOURCES.some((s) => s.id === id))
      throw new UsageError(`unknown source "${id}" — known: ${REFRESH_SOURCES.map((s) => s.id).join(', ')}`);
  }
  for (const [flag, value] of [
    ['--from', opts.from],
    ['--to', opts.to],
  ] as const) {
    if (value && !DAY.test(value)) throw new UsageError(`${flag} must be a date like 2026-11-01 — got "${value}"`);
  }
  if (opts.from && opts.to && opts.from > opts.to) throw new UsageError(`--from ${opts.from} is after --to ${opts.to}`);

  const days = opts.from && opts.to ? daysInRange(opts.from, addDays(opts.to, 1)).length : 0;
  const bar =
    days > 7 && process.stderr.isTTY
      ? new cliProgress.SingleBar(
          { format: '{source} [{bar}] {value}/{total} days', stream: process.stderr },
          cliProgress.Presets.shades_classic,
        )
      : null;
  const progress = new Map<string, number>();
  bar?.start(days * Math.max(1, (opts.source ?? []).length || 1), 0, { source: '' });

  const summary = await refresh(
    { store: rt.store, config: rt.config, env: rt.rawEnv, logger: rt.logger, now: rt.now(), sources: REFRESH_SOURCES, notify },
    {
      sourceIds: opts.source,
      from: opts.from,
      to: opts.to,
      full: opts.full,
      onProgress: bar
        ? (p) => {
            progress.set(p.source, p.done);
            bar.update(
              [...progress.values()].reduce((a, b) => a + b, 0),
              { source: p.source },
            );
          }
        : undefined,
    },
  );
  bar?.stop();
  process.stdout.write(`${formatRefreshSummary(summary)}\n`);
  return summary;
}
