import { errorMessage } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { SOURCES } from '../integrations/registry.js';
import { credentialEnvVars } from '../integrations/source.js';
import { getSourceHealth } from '../store/source-health.js';
import { listMetricFailures } from '../store/metric-failures.js';
import { syncStateFor } from '../store/sync-state.js';
import { metricsOf } from '../metrics/catalog.js';
import { databaseStats } from '../store/db.js';

export interface DoctorLine {
  check: string;
  ok: boolean;
  detail: string;
  /** Not set up, which is allowed: shown as such, never a failure. */
  skipped?: boolean;
}

/** Config, database, Slack and one cheap call per configured source; exit code 1 if anything failed. */
export async function doctor(rt: Runtime, extraChecks: (() => Promise<DoctorLine>)[] = []): Promise<DoctorLine[]> {
  const lines: DoctorLine[] = [];
  const metrics = metricsOf(rt.config);
  lines.push({
    check: 'config',
    ok: true,
    detail: `${rt.configPath}: ${metrics.length} metrics in ${rt.config.groups.length} groups, timezone ${rt.config.org.timezone}`,
  });

  try {
    const stats = await databaseStats(rt.store);
    lines.push({
      check: 'database',
      ok: true,
      detail: `${rt.store.location}: ${stats.dailyValues} daily values, journal ${stats.journalMode}`,
    });
  } catch (error) {
    lines.push({ check: 'database', ok: false, detail: errorMessage(error) });
  }

  const health = new Map((await getSourceHealth(rt.store)).map((h) => [h.source, h]));
  const used = new Set(metrics.map((m) => m.source));
  for (const source of SOURCES) {
    if (source.id === 'sample' && !used.has('sample')) continue;
    const label = `source ${source.id}`;
    if (!source.configured(rt.rawEnv)) {
      lines.push({
        check: label,
        ok: true,
        skipped: true,
        detail: `not configured (set ${credentialEnvVars(source).join(', ')}); its metrics show "not connected"`,
      });
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
  // Metrics (and parts such as hubspot.quarter_deals) that failed on their own at the last refresh while their
  // source's others refreshed.
  for (const failure of await listMetricFailures(rt.store)) {
    lines.push({
      check: rt.config.metrics[failure.metric_id] ? `metric ${failure.metric_id}` : failure.metric_id,
      ok: false,
      detail: `last refresh failed (${failure.source}, ${failure.error_class}, ${failure.failed_at}): ${failure.error}`,
    });
  }
  lines.push(await slackCheck(rt));
  lines.push(await (await import('./email.js')).smtpCheck(rt));
  for (const check of extraChecks) lines.push(await check());
  return lines;
}

/** Slack's auth.test with the bot token: proves the token and names the bot and workspace. */
async function slackCheck(rt: Runtime): Promise<DoctorLine> {
  const token = rt.env.SLACK_BOT_TOKEN;
  if (!token)
    return { check: 'slack', ok: true, skipped: true, detail: 'not configured (set SLACK_BOT_TOKEN); digests print to the terminal' };
  const { createSlackClient, describeSlackError } = await import('../slack/client.js');
  try {
    const auth = await createSlackClient({ token, apiUrl: rt.env.SLACK_API_URL, retryConfig: { retries: 0 } }).auth.test();
    return { check: 'slack', ok: true, detail: `authenticated as @${auth.user ?? '?'} in ${auth.team ?? '?'}` };
  } catch (error) {
    return { check: 'slack', ok: false, detail: `auth.test failed: ${describeSlackError(error)}` };
  }
}

export function formatDoctor(lines: DoctorLine[]): string {
  const width = Math.max(...lines.map((l) => l.check.length));
  return lines.map((l) => `${l.skipped ? '·' : l.ok ? '✔' : '✖'} ${l.check.padEnd(width)}  ${l.detail}`).join('\n');
}
