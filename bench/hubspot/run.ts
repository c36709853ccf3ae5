import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { configSchema } from '../../src/config/schema.js';
import { openStore } from '../../src/store/db.js';
import { getDailyValues } from '../../src/store/daily-values.js';
import type { ServerReply, ServerStart } from './server-process.js';
import { truthKey, weekOf, type Measure } from './truth.js';

/**
 * HubSpot benchmark: a year of activity for 5 owners (~50,000 records) behind a loopback HubSpot (its own
 * process) that enforces the real limits; `scorecard refresh` over the whole year. Reports requests, 429s (must be 0),
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

/** Peak resident memory of a child process so far (Linux VmHWM), in bytes; 0 where /proc is not there. */
function peakRssOf(pid: number): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Runs what an operator runs — `scorecard refresh --source hubspot --from … --to …`, the built CLI in its own process —
 * against the loopback HubSpot, then checks the stored daily values against the server's ground truth.
 */
export async function runHubspotBench(): Promise<HubspotBenchResult> {
  const teamEmails = ['ava', 'ben', 'cleo', 'dev', 'eli'].map((name) => `${name}@example.com`);
  const { child, ready } = await startServerProcess({
    type: 'start',
    dataset: { seed: 20251, from: FROM, to: TO, timezone: TIMEZONE, callsPerOwnerDay: 28, meetingsPerOwnerDay: 5, dealsPerOwnerDay: 3 },
    server: { token: TOKEN, limits: LIMITS },
    teamEmails,
  });
  const dir = mkdtempSync(join(tmpdir(), 'scorecard-hubspot-bench-'));
  try {
    const owners = ready.owners.filter((o) => teamEmails.includes(o.email));
    const metricEntries = owners.flatMap((owner, i) => MEASURES.map((m) => benchMetric(`${m}_${i}`, m, owner.email)));
    const rawConfig = {
      org: { name: 'Bench', timezone: TIMEZONE },
      groups: [{ id: 'sales', name: 'Sales', metrics: metricEntries.map(([id]) => id) }],
      metrics: Object.fromEntries(metricEntries),
      // A year at the documented limits takes ~92 s, past the default 60 s source deadline.
      sources: { hubspot: { deadline_seconds: 300 } },
    };
    const config = configSchema.parse(rawConfig);
    const configPath = join(dir, 'scorecard.yml');
    writeFileSync(configPath, stringify(rawConfig));
    const dbPath = join(dir, 'bench.db');

    const cli = fileURLToPath(new URL('../../src/cli/main.cjs', import.meta.url));
    const started = performance.now();
    const refresh = spawn(process.execPath, [cli, 'refresh', '--source', 'hubspot', '--from', FROM, '--to', TO], {
      env: {
        PATH: process.env.PATH ?? '',
        HUBSPOT_ACCESS_TOKEN: TOKEN,
        HUBSPOT_BASE_URL: ready.url,
        SCORECARD_CONFIG: configPath,
        DATABASE_URL: `sqlite:${dbPath}`,
        SCORECARD_NOW: '2026-01-02T12:00:00Z',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let peakRss = 0;
    let output = '';
    refresh.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, peakRssOf(refresh.pid!))), 100);
    const code = await new Promise<number | null>((resolve) => refresh.on('exit', resolve));
    clearInterval(sampler);
    const wallMs = performance.now() - started;
    if (code !== 0) throw new Error(`scorecard refresh exited ${code}:\n${output}`);

    const metricInfo = new Map(
      Object.keys(config.metrics).map((id, i) => [
        id,
        { measure: MEASURES[i % MEASURES.length]!, ownerId: owners[Math.floor(i / MEASURES.length)]!.id },
      ]),
    );
    const collected = new Map<string, number>();
    const store = await openStore(`sqlite:${dbPath}`);
    for (const row of await getDailyValues(store, [...metricInfo.keys()], FROM, '2026-01-01')) {
      const { measure, ownerId } = metricInfo.get(row.metric_id)!;
      const k = truthKey(measure, ownerId, weekOf(row.day));
      const amount = measure === 'mrr_closed' ? Math.round(row.value * 100) : row.value;
      collected.set(k, (collected.get(k) ?? 0) + amount);
    }
    await store.close();

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
    rmSync(dir, { recursive: true, force: true });
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
