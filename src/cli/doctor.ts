import type { Runtime } from '../runtime.js';
import { SOURCES } from '../integrations/registry.js';
import { getSourceHealth } from '../store/source-health.js';
import { syncStateFor } from '../store/sync-state.js';
import { metricsOf } from '../metrics/catalog.js';

export interface DoctorLine {
  check: string;
  ok: boolean;
  detail: string;
}

/** Config, database, Slack and one cheap call per configured source; exit code 1 if anything failed. */
export async function doctor(rt: Runtime, extraChecks: (() => Promise<DoctorLine>)[] = []): Promise<DoctorLine[]> {
  const lines: DoctorLine[] = [];
  const metrics = metricsOf(rt.config);
  lines.push({ check: 'config', ok: true, detail: `${rt.configPath}: ${metrics.length} metrics in ${rt.config.groups.length} groups, timezone ${rt.config.org.timezone}` });

  try {
    const row = rt.store.sqlite.prepare('select count(*) as n from daily_values').get() as { n: number };
    const mode = rt.store.sqlite.pragma('journal_mode', { simple: true });
    lines.push({ check: 'database', ok: true, detail: `${rt.store.location}: ${row.n} daily values, journal ${String(mode)}` });
  } catch (error) {
    lines.push({ check: 'database', ok: false, detail: (error as Error).message });
  }

  const health = new Map((await getSourceHealth(rt.store)).map((h) => [h.source, h]));
  const used = new Set(metrics.map((m) => m.source));
  for (const source of SOURCES) {
    if (source.id === 'sample' && !used.has('sample')) continue;
    const label = `source ${source.id}`;
    if (!source.configured(rt.rawEnv)) {
      lines.push({ check: label, ok: true, detail: `not configured (set ${source.envVars.slice(0, 3).join(', ')}); its metrics show "not connected"` });
      continue;
    }
    const result = await source.check({
      config: rt.config,
      env: rt.rawEnv,
      logger: rt.logger.child({ source: source.id }),
      state: syncStateFor(rt.store, rt.now),
      now: rt.now(),
      stats: { calls: 0, rateLimited: 0 },
    });
    const h = health.get(source.id);
    const last = h?.last_success_at ? `; last refresh ${h.last_success_at}` : '';
    lines.push({ check: label, ok: result.ok, detail: `${result.detail}${last}` });
  }
  for (const check of extraChecks) lines.push(await check());
  return lines;
}

export function formatDoctor(lines: DoctorLine[]): string {
  const width = Math.max(...lines.map((l) => l.check.length));
  return lines.map((l) => `${l.ok ? '✔' : '✖'} ${l.check.padEnd(width)}  ${l.detail}`).join('\n');
}
