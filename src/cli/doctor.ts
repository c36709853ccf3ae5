import type { Writable } from 'node:stream';
import { errorMessage } from '../errors.js';
import type { Runtime, RuntimeOptions } from '../runtime.js';
import { SOURCES } from '../integrations/registry.js';
import { describeCredentials } from '../integrations/source.js';
import { createLogger } from '../logger.js';
import { UsageError, withRuntime, type GlobalOptions } from './common.js';
import { bufferedLog } from './buffered-log.js';
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

/** A probe answers quickly or is reported as failing: an operator waits for doctor, a refresh does not. */
export const DEFAULT_PROBE_TIMEOUT_MS = 5_000;

export interface DoctorOptions {
  /** Per-call timeout of every probe (sources, Slack, SMTP); one attempt each, no retries. */
  timeoutMs?: number;
  extraChecks?: (() => Promise<DoctorLine>)[];
}

/**
 * `scorecard doctor`: the report on stdout, then — never among its lines — the warnings logged while it ran, as
 * plain text on stderr. False when anything failed (exit code 1).
 */
export async function doctorCommand(
  global: GlobalOptions,
  opts: { timeout?: string },
  io: { out: Writable; err: Writable } = { out: process.stdout, err: process.stderr },
  extra: Partial<RuntimeOptions> = {},
): Promise<boolean> {
  const seconds = opts.timeout === undefined ? DEFAULT_PROBE_TIMEOUT_MS / 1000 : Number(opts.timeout);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`--timeout must be a number of seconds — got "${opts.timeout}"`);
  const log = bufferedLog();
  try {
    return await withRuntime(
      global,
      async (rt) => {
        const lines = await doctor(rt, { timeoutMs: Math.round(seconds * 1000) });
        io.out.write(`${formatDoctor(lines)}\n`);
        return lines.every((l) => l.ok);
      },
      { logger: createLogger('warn', log.destination), ...extra },
    );
  } finally {
    const warnings = log.lines();
    if (warnings.length > 0) io.err.write(`\nlogged while checking:\n${warnings.map((w) => `  ${w}`).join('\n')}\n`);
  }
}

/** Config, database, Slack and one cheap call per configured source: one attempt each, with a short timeout. */
export async function doctor(rt: Runtime, opts: DoctorOptions = {}): Promise<DoctorLine[]> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
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
        detail: `not configured (set ${describeCredentials(source)}); its metrics show "not connected"`,
      });
      continue;
    }
    const result = await source.check({
      config: rt.config,
      env: rt.rawEnv,
      logger: rt.logger.child({ source: source.id }),
      state: syncStateFor(rt.store, rt.now),
      now: rt.now(),
      stats: { calls: 0, rateLimited: 0, probe: { maxRetries: 0, timeoutMs } },
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
  lines.push(await slackCheck(rt, timeoutMs));
  lines.push(await (await import('./email.js')).smtpCheck(rt, { timeoutMs }));
  for (const check of opts.extraChecks ?? []) lines.push(await check());
  return lines;
}

/** Slack's auth.test with the bot token: proves the token and names the bot and workspace. */
async function slackCheck(rt: Runtime, timeoutMs: number): Promise<DoctorLine> {
  const token = rt.env.SLACK_BOT_TOKEN;
  if (!token)
    return { check: 'slack', ok: true, skipped: true, detail: 'not configured (set SLACK_BOT_TOKEN); digests print to the terminal' };
  const { createSlackClient, describeSlackError } = await import('../slack/client.js');
  try {
    const auth = await createSlackClient({ token, apiUrl: rt.env.SLACK_API_URL, retryConfig: { retries: 0 }, timeoutMs }).auth.test();
    return { check: 'slack', ok: true, detail: `authenticated as @${auth.user ?? '?'} in ${auth.team ?? '?'}` };
  } catch (error) {
    return { check: 'slack', ok: false, detail: `auth.test failed: ${describeSlackError(error)}` };
  }
}

export function formatDoctor(lines: DoctorLine[]): string {
  const width = Math.max(...lines.map((l) => l.check.length));
  return lines.map((l) => `${l.skipped ? '·' : l.ok ? '✔' : '✖'} ${l.check.padEnd(width)}  ${l.detail}`).join('\n');
}
