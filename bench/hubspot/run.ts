import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pino } from 'pino';
import { configSchema, type Metric } from '../../src/config/schema.js';
import { hubspotSource } from '../../src/integrations/hubspot/index.js';
import type { SourceContext, SyncState } from '../../src/integrations/source.js';
import type { ServerReply, ServerStart } from './server-process.js';
import { groundTruth, truthKey, weekOf, type Measure } from './truth.js';

/**
 * HubSpot benchmark: a year of activity for 5 owners (~50,000 records) behind a loopback HubSpot (its own
 * process) that enforces the real limits; collect() with the real client over the whole year. Reports requests, 429s (must be 0),
 * wall time against the rate-limit floor (target ≤ 1.1×), peak RSS (target < 150 MB), and whether weekly
 * per-owner dials, FTAs set, FTAs attended and MRR closed equal the server's ground truth.
 */

const TIMEZONE = 'America/New_York';
const FROM = '2025-01-01';
const TO = '2025-12-31';
const TOKEN = 'pat-na1-bench0000-1111-2222-3333-444455556666';
const LIMITS = { per10s: 100, searchPerS: 4 };

export interface HubspotBenchResult {
  requests: number;
  rateLimited: number;
  wallMs: number;
  floorMs: number;
  ratio: number;
  peakRssMb: number;
  ownersMatched: boolean;
}

const MEASURES: Measure[] = ['dials', 'ftas_set', 'ftas_attended', 'mrr_closed'];

function benchMetric(id: string, measure: Measure, email: string): [string, Record<string, unknown>] {
  const query: Record<Measure, Record<string, unknown>> = {
    dials: { object: 'calls' },
    ftas_set: { object: 'meetings', by: 'created' },
    ftas_attended: { object: 'meetings', by: 'attended' },
    mrr_closed: { object: 'deals' },
  };
  return [
    id,
    {
      name: `${measure} ${email}`,
      unit: measure === 'mrr_closed' ? 'currency' : 'count',
      owner: email,
      aggregate: 'sum',
      source: 'hubspot',
      query: query[measure],
      definition: 'bench',
      why: 'bench',
      calculation: 'bench',
    },
  ];
}

function memoryState(): SyncState {
  const values = new Map<string, string>();
  return { get: async (k) => values.get(k), set: async (k, v) => void values.set(k, v) };
}

/** Starts the loopback HubSpot in a child process; resolves once it listens. */
function startServerProcess(start: ServerStart): Promise<{ child: ChildProcess; ready: Extract<ServerReply, { type: 'ready' }> }> {
  const child = fork(fileURLToPath(new URL('./server-process.js', import.meta.url)), [], { stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`loopback HubSpot exited early (code ${code})`)));
    child.once('message', (message: ServerReply) => {
      if (message.type === 'ready') resolve({ child, ready: message });
    });
    child.send(start);
  });
}

function finishServerProcess(child: ChildProcess): Promise<Extract<ServerReply, { type: 'result' }>> {
  return new Promise((resolve, reject) => {
    child.removeAllListeners('exit');
    child.once('exit', (code) => reject(new Error(`loopback HubSpot exited without a result (code ${code})`)));
    child.once('message', (message: ServerReply) => {
      if (message.type === 'result') resolve(message);
    });
    child.send({ type: 'finish' });
  });
}

export async function runHubspotBench(): Promise<HubspotBenchResult> {
  const teamEmails = ['ava', 'ben', 'cleo', 'dev', 'eli'].map((name) => `${name}@example.com`);
  const { child, ready } = await startServerProcess({
    type: 'start',
    dataset: { seed: 20251, from: FROM, to: TO, timezone: TIMEZONE, callsPerOwnerDay: 28, meetingsPerOwnerDay: 5, dealsPerOwnerDay: 3 },
    server: { token: TOKEN, limits: LIMITS },
    teamEmails,
  });
  const owners = ready.owners.filter((o) => teamEmails.includes(o.email));
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    const metricEntries = owners.flatMap((owner, i) => MEASURES.map((m) => benchMetric(`${m}_${i}`, m, owner.email)));
    const config = configSchema.parse({
      org: { name: 'Bench', timezone: TIMEZONE },
      groups: [{ id: 'sales', name: 'Sales', metrics: metricEntries.map(([id]) => id) }],
      metrics: Object.fromEntries(metricEntries),
      sources: { hubspot: {} },
    });
    const metrics: Metric[] = Object.entries(config.metrics).map(([id, m]) => ({ ...m, id }));
    const ctx: SourceContext = {
      config,
      env: { HUBSPOT_ACCESS_TOKEN: TOKEN, HUBSPOT_BASE_URL: ready.url },
      logger: pino({ level: 'silent' }),
      state: memoryState(),
      now: new Date('2026-01-02T12:00:00Z'),
      stats: { calls: 0, rateLimited: 0 },
    };
    const metricInfo = new Map(metrics.map((m, i) => [m.id, { measure: MEASURES[i % MEASURES.length]!, ownerId: owners[Math.floor(i / MEASURES.length)]!.id }]));
    const collected = new Map<string, number>();
    const started = performance.now();
    for await (const batch of hubspotSource.collect(ctx, { from: FROM, to: TO, metrics })) {
      for (const value of batch) {
        const { measure, ownerId } = metricInfo.get(value.metricId)!;
        const k = truthKey(measure, ownerId, weekOf(value.day));
        const amount = measure === 'mrr_closed' ? Math.round(value.value * 100) : value.value;
        collected.set(k, (collected.get(k) ?? 0) + amount);
      }
    }
    const wallMs = performance.now() - started;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const result = await finishServerProcess(child);
    const truth = new Map(result.truth);
    const mismatches = [...new Set([...truth.keys(), ...collected.keys()])].filter((k) => (truth.get(k) ?? 0) !== (collected.get(k) ?? 0));
    const { search, default: other } = result.stats.requests;
    const floorMs = Math.max((search / LIMITS.searchPerS) * 1000, (other / LIMITS.per10s) * 10_000);
    return {
      requests: search + other,
      rateLimited: result.stats.rateLimited,
      wallMs: Math.round(wallMs),
      floorMs: Math.round(floorMs),
      ratio: Number((wallMs / floorMs).toFixed(3)),
      peakRssMb: Math.round(peakRss / 1024 / 1024),
      ownersMatched: mismatches.length === 0 && truth.size > 0,
    };
  } finally {
    clearInterval(sampler);
    if (child.connected) child.kill();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  runHubspotBench().then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
