import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import nock from 'nock';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { refresh } from '../../src/integrations/refresh.js';
import { sourceById } from '../../src/integrations/registry.js';
import { credentialEnvVars } from '../../src/integrations/source.js';
import { addDays, localDayOf } from '../../src/metrics/periods.js';
import { dailyDigest } from '../../src/report/queries.js';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { upsertDailyValues } from '../../src/store/daily-values.js';
import type { DailyKind } from '../../src/report/daily.js';
import { removeTempDb, tempDbPath } from '../helpers/tmp-store.js';

/**
 * A source outage never blanks a figure: every source feeding the support and cash digests of the shipped catalog,
 * down for 48 hours in each way a vendor API fails (HTTP 500, malformed JSON, a connection reset, a hang), and every
 * figure of its digest still shows a value, with its age, marked stale.
 */

const CONFIG = fileURLToPath(new URL('../../scorecard.example.yml', import.meta.url));
// Monday 16 Nov 2026, 08:00 in Chicago: the last good refresh. The outage lasts until Wednesday.
const LAST_GOOD = new Date('2026-11-16T14:00:00Z');
const NOW = new Date(LAST_GOOD.getTime() + 48 * 3_600_000);
const MODES = ['500', 'malformed', 'reset', 'hang'] as const;
type Mode = (typeof MODES)[number];

const DIGESTS: Record<DailyKind, string[]> = { support: ['zendesk', 'autotask'], cash: ['simplefin', 'bill'] };

/** A vendor API that fails every request the same way. */
function brokenApi(): { server: Server; mode: { current: Mode }; url: () => string; close: () => Promise<void> } {
  const mode = { current: '500' as Mode };
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    if (mode.current === '500') {
      res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"internal"}');
    } else if (mode.current === 'malformed') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"tickets": [ {"id": 1, ');
    } else if (mode.current === 'reset') {
      req.socket.destroy();
    }
    // hang: never answer; close() destroys the socket.
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return {
    server,
    mode,
    url: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function envFor(sourceId: string, baseUrl: string): Record<string, string> {
  const source = sourceById(sourceId)!;
  const env: Record<string, string> = {};
  for (const name of credentialEnvVars(source)) env[name] = `test-${name.toLowerCase()}`;
  if (sourceId === 'simplefin') env.SIMPLEFIN_ACCESS_URL = `${baseUrl.replace('http://', 'http://user:pass@')}/simplefin`;
  if (sourceId === 'zendesk') {
    env.ZENDESK_SUBDOMAIN = 'acme';
    env.ZENDESK_EMAIL = 'agent@example.com';
    delete env.ZENDESK_OAUTH_TOKEN;
  }
  for (const name of source.envVars.filter((n) => /_BASE_URL$/.test(n))) env[name] = baseUrl;
  return env;
}

/** A good week of every digest figure, fetched at LAST_GOOD: what the last successful refreshes left. */
async function seedLastGoodWeek(rt: Runtime): Promise<void> {
  const tz = rt.config.org.timezone;
  const today = localDayOf(LAST_GOOD, tz);
  const rows = [];
  for (const kind of ['support', 'cash'] as const) {
    for (const id of rt.config.digests[kind]) {
      const metric = rt.config.metrics[id]!;
      for (let back = 7; back >= 0; back--) {
        const day = addDays(today, -back);
        const ratio = metric.aggregate === 'ratio';
        rows.push({
          metric_id: id,
          day,
          value: ratio ? 0.5 : 10 + back,
          numerator: ratio ? 5 : null,
          denominator: ratio ? 10 : null,
          source: metric.source,
          fetched_at: LAST_GOOD.toISOString(),
          warnings: null,
        });
      }
    }
  }
  await upsertDailyValues(rt.store, rows);
}

let api: ReturnType<typeof brokenApi>;
let dbPath: string;
let rt: Runtime;

beforeAll(async () => {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
  api = brokenApi();
  await new Promise<void>((resolve) => api.server.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  await api.close();
  nock.enableNetConnect();
});
beforeEach(async () => {
  dbPath = tempDbPath();
  rt = await openRuntime({ configPath: CONFIG, databaseUrl: `sqlite:${dbPath}`, now: NOW, env: {}, logger: pino({ level: 'silent' }) });
  await seedLastGoodWeek(rt);
});
afterEach(async () => {
  await rt.close();
  removeTempDb(dbPath);
});

describe('every support and cash source down for 48 h', () => {
  for (const [kind, sources] of Object.entries(DIGESTS) as [DailyKind, string[]][]) {
    for (const sourceId of sources) {
      it(`${sourceId} answering 500, malformed JSON, resets and hangs: every ${kind} figure keeps a value, stale, with its age`, async () => {
        for (const mode of MODES) {
          api.mode.current = mode;
          const env = envFor(sourceId, api.url());
          // A short deadline so the hang ends the run here; the default is 60 s.
          const config = {
            ...rt.config,
            sources: { ...rt.config.sources, [sourceId]: { ...rt.config.sources[sourceId], deadline_seconds: 1 } },
          };
          const summary = await refresh(
            { store: rt.store, config, env, logger: rt.logger, now: NOW, sources: [sourceById(sourceId)!] },
            { sourceIds: [sourceId] },
          );
          expect(summary.results[0], `${sourceId} ${mode}`).toMatchObject({ source: sourceId, status: 'failed' });

          const ctx = { ...rt.evalContext(NOW), isConnected: () => true };
          const digest = JSON.parse(JSON.stringify(await dailyDigest(rt.store, ctx, kind))) as Awaited<ReturnType<typeof dailyDigest>>;
          for (const item of digest.items) {
            const what = `${kind} ${item.id} with ${sourceId} ${mode}`;
            expect(item.value, what).not.toBeNull();
            expect(item.text, what).not.toBe('—');
            expect(item.asOf, what).toBe(LAST_GOOD.toISOString());
            expect(item.status, what).toBe('stale');
            expect(item.reason, what).toMatch(/stale: last data 2 d ago/);
            expect(item.reason, what).not.toMatch(/green/);
            if (item.window === 'yesterday') expect(item.day, what).toBe(localDayOf(LAST_GOOD, rt.config.org.timezone));
          }
        }
      }, 60_000);
    }
  }
});
