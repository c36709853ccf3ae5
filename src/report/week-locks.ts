import type { Config } from '../config/schema.js';
import type { LocalDay } from '../metrics/types.js';
import { weekContaining } from '../metrics/periods.js';
import type { Store } from '../store/db.js';
import { listDigestRuns } from '../store/digest-runs.js';
import { periodSettings } from '../metrics/context.js';

/**
 * A week locks `lock_after_days` after its weekly scorecard was posted, so late edits can't silently rewrite a
 * number the team already discussed. Returns a synchronous checker for the entry rules.
 */
export async function weekLockChecker(store: Store, config: Config, now: Date): Promise<(day: LocalDay) => boolean> {
  const runs = await listDigestRuns(store, { kind: 'weekly', limit: 500 });
  const lockMs = config.defaults.lock_after_days * 86_400_000;
  const locked = new Set(
    runs.filter((r) => r.status === 'posted' && r.posted_at && Date.parse(r.posted_at) + lockMs <= now.getTime()).map((r) => r.period),
  );
  const periods = periodSettings(config);
  return (day) => locked.has(weekContaining(day, periods).label);
}
