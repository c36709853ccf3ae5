import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { displayWidth } from '../../src/terminal/width.js';
import { storeKinds, tempDatabaseUrl } from '../helpers/tmp-store.js';

/** End to end: the built binary, as a user runs it, on a temp database of each kind. `npm test` builds first. */

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'dist/src/cli/main.cjs');
const NOW = '2026-11-16T08:00:00-06:00';

let dir: string;
let databaseUrl: string;

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      SCORECARD_CONFIG: join(root, 'scorecard.example.yml'),
      ...env,
    },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every test spawns the CLI a few times; on a loaded 2-core machine one spawn has taken over 5 s. */
const SPAWNING_TEST_TIMEOUT_MS = 60_000;

describe.each(storeKinds())(
  '%s store',
  (kind) => {
    let database: Awaited<ReturnType<typeof tempDatabaseUrl>>;
    beforeAll(async () => {
      if (!existsSync(bin)) throw new Error(`${bin} is missing: run "npm run build" (npm test does it first)`);
      dir = mkdtempSync(join(tmpdir(), 'scorecard-cli-'));
      database = await tempDatabaseUrl(kind);
      databaseUrl = database.url;
      const demo = run(['--now', NOW, '--database', databaseUrl, 'demo']);
      expect(demo.stderr).toBe('');
      expect(demo.code).toBe(0);
    }, 60_000);

    afterAll(async () => {
      await database?.cleanup();
      rmSync(dir, { recursive: true, force: true });
    });

    describe('a .env file in the working directory', () => {
      it('fills what the real environment does not set, and the real environment wins', () => {
        writeFileSync(
          join(dir, '.env'),
          ['SCORECARD_NOW=2026-11-09T08:00:00-06:00', 'DATABASE_URL=sqlite:/nonexistent/from-dotenv.db', 'SCORECARD_CODE_CACHE=off'].join(
            '\n',
          ),
        );
        try {
          // DATABASE_URL comes from the real environment (run() sets it); SCORECARD_NOW only from .env.
          const { stdout, code, stderr } = run(['metric', 'cash', '--json']);
          expect(stderr).toBe('');
          expect(code).toBe(0);
          expect(JSON.parse(stdout)).toMatchObject({ metric: 'cash', period: '2026-11-09' });
        } finally {
          rmSync(join(dir, '.env'));
        }
      });
    });

    describe('scorecard demo', () => {
      it('prints the weekly scorecard with its period and timezone, every group, then both daily digests', () => {
        const { stdout, code } = run(['--now', NOW, '--database', databaseUrl, 'demo']);
        expect(code).toBe(0);
        expect(stdout).toContain('Weekly scorecard 2026-W46');
        expect(stdout).toContain('Mon 9 Nov – Sun 15 Nov 2026 · America/Chicago');
        for (const group of ['Inside Sales', 'Outside Sales', 'Warm 250', 'Reactive Operations', 'Finance', 'Support'])
          expect(stdout).toContain(`── ${group} ──`);
        const metricRows = stdout.split('\n').filter((l) => /[🟢🟡🔴⚪🕒▫]/u.test(l) && !l.startsWith('🟢 '));
        expect(metricRows.length).toBeGreaterThanOrEqual(25);
        expect(stdout).toContain('Cash digest, Monday 16 Nov 2026');
        expect(stdout).toContain('Support digest, Monday 16 Nov 2026');
        // The planned stale source shows its age instead of a colour.
        expect(stdout).toMatch(/Bills pending approval .*🕒 \d+ d/);
      });

      it('fits 80 columns with the reds first under the title; --wide restores every column', () => {
        const narrow = run(['--now', NOW, '--database', databaseUrl, 'demo'], { COLUMNS: '80' });
        const lines = narrow.stdout.split('\n');
        expect(lines.filter((l) => displayWidth(l) > 80)).toEqual([]);
        const view = JSON.parse(run(['--now', NOW, 'digest', 'weekly', '--json']).stdout);
        const title = lines.findIndex((l) => l.includes('Weekly scorecard 2026-W46'));
        const reds: { name: string }[] = view.attention.red;
        const first = lines
          .slice(title + 1)
          .join('\n')
          .split('\n\n')[0]!;
        const redLines = first.split(/\n(?! )/).slice(0, Math.max(1, reds.length));
        expect(redLines.every((l) => l.startsWith('🔴'))).toBe(true);
        for (const red of reds) expect(redLines.join(' ')).toContain(red.name);
        expect(lines.find((l) => l.startsWith('Metric'))).not.toContain('Owner');

        const wide = run(['--now', NOW, '--database', databaseUrl, 'demo', '--wide'], { COLUMNS: '80' });
        expect(wide.stdout.split('\n').find((l) => l.startsWith('Metric'))).toMatch(/Owner .*13-week trend/);
      });

      it('prints identical output for the same --now', () => {
        const a = run(['--now', NOW, '--database', databaseUrl, 'demo']);
        const b = run(['--now', NOW, '--database', databaseUrl, 'demo']);
        expect(a.stdout).toBe(b.stdout);
      });
    });

    describe('scorecard metric', () => {
      it('prints one JSON object with metric, period, value, goal, status and as_of', () => {
        const { stdout, code } = run(['--now', NOW, 'metric', 'cash', '--json']);
        expect(code).toBe(0);
        const answer = JSON.parse(stdout);
        expect(answer).toMatchObject({ metric: 'cash', period: '2026-11-16', goal: { op: '>=', value: 500000 }, goal_text: '≥ $500K' });
        expect(typeof answer.value).toBe('number');
        expect(['green', 'yellow', 'red']).toContain(answer.status);
        expect(answer.as_of).toMatch(/^2026-11-16T/);
        expect(answer.trend.values).toHaveLength(13);
      });

      it('answers a flow for the last completed week', () => {
        const answer = JSON.parse(run(['--now', NOW, 'metric', 'dials', '--json']).stdout);
        expect(answer).toMatchObject({ metric: 'dials', period: '2026-W46', period_range: { start: '2026-11-09', end: '2026-11-15' } });
        expect(answer.reason).toContain('vs goal ≥ 125');
      });

      it('suggests the closest metrics for a typo and exits 1', () => {
        const { stderr, code } = run(['--now', NOW, 'metric', 'dails']);
        expect(code).toBe(1);
        expect(stderr).toContain('No metric matches "dails"');
        expect(stderr).toContain('Dials (dials)');
      });
    });

    describe('scorecard log', () => {
      it('stores an entry that the next metric answer reflects', () => {
        const before = JSON.parse(run(['--now', NOW, 'metric', 'hybrid_networking_events', '--json', '--period', '2026-W47']).stdout);
        const logged = run(['--now', NOW, 'log', 'hybrid_networking_events', '2', '--user', 'U0REP00001', '--note', 'chamber breakfast']);
        expect(logged.stderr).toBe('');
        expect(logged.stdout).toContain('Logged 2 Networking events (hybrid) for 2026-11-16');
        const after = JSON.parse(run(['--now', NOW, 'metric', 'hybrid_networking_events', '--json', '--period', '2026-W47']).stdout);
        expect(after.value).toBe((before.value ?? 0) + 2);
      });

      it('refuses a source-fed metric, a future date and an out-of-bounds value, storing nothing', () => {
        const before = JSON.parse(run(['--now', NOW, 'metric', 'hybrid_coi_created', '--json', '--period', '2026-W47']).stdout).value;
        const fed = run(['--now', NOW, 'log', 'dials', '3', '--user', 'U0REP00001']);
        expect(fed.code).toBe(1);
        expect(fed.stderr).toContain("comes from hubspot; it can't be logged by hand");
        const future = run(['--now', NOW, 'log', 'hybrid_coi_created', '1', '--user', 'U0REP00001', '--date', '2026-11-18']);
        expect(future.stderr).toContain('That date is in the future; today is 2026-11-16.');
        const big = run(['--now', NOW, 'log', 'hybrid_coi_created', '100000', '--user', 'U0REP00001']);
        expect(big.stderr).toMatch(/value: Enter a value between 0 and/);
        const after = JSON.parse(run(['--now', NOW, 'metric', 'hybrid_coi_created', '--json', '--period', '2026-W47']).stdout).value;
        expect(after).toBe(before);
      });
    });

    describe('scorecard --json', () => {
      it('carries the quarter deals summary as quarter_deals where HubSpot is configured, null where it is not', () => {
        const token = { HUBSPOT_ACCESS_TOKEN: 'pat-na1-00000000-0000-0000-0000-000000000000' };
        const view = JSON.parse(run(['--now', NOW, 'digest', 'weekly', '--json'], token).stdout);
        expect(view.quarter_deals).toMatchObject({
          status: 'current',
          amounts_hidden: false,
          won: { count: expect.any(Number), amount: expect.any(Number), amount_text: expect.any(String) },
          total: { count: view.quarter_deals.won.count + view.quarter_deals.lost.count + view.quarter_deals.open.count },
        });
        expect(view.quarter_deals.definition).toContain('Total = won + lost + open');
        expect(JSON.parse(run(['--now', NOW, 'digest', 'weekly', '--json']).stdout).quarter_deals).toBeNull();
      });

      it('uses snake_case keys and structured goals everywhere', () => {
        const view = JSON.parse(run(['--now', NOW, 'digest', 'weekly', '--json']).stdout);
        expect(view.period).toHaveProperty('start_at');
        const dials = view.groups.flatMap((g: { rows: unknown[] }) => g.rows).find((r: { id: string }) => r.id === 'dials');
        expect(dials).toMatchObject({ goal: { op: '>=', value: 125 }, goal_text: '≥ 125', this_week: expect.any(String) });
        const cash = JSON.parse(run(['--now', NOW, 'digest', 'cash', '--json']).stdout);
        expect(cash.items[0]).toHaveProperty('vs_yesterday');
        expect(cash.items[0]).toHaveProperty('goal_text');
        const keys = (v: unknown): string[] =>
          Array.isArray(v) ? v.flatMap(keys) : v && typeof v === 'object' ? Object.entries(v).flatMap(([k, x]) => [k, ...keys(x)]) : [];
        expect(keys([view, cash]).filter((k) => /[A-Z]/.test(k))).toEqual([]);
      });

      it('metric list --json prints the catalog as JSON', () => {
        const list = JSON.parse(run(['metric', 'list', '--json']).stdout);
        expect(list.groups[0].metrics[0]).toMatchObject({ id: 'dials', name: 'Dials' });
      });

      it('refuses a future period with exit 2', () => {
        const weekly = run(['--now', NOW, 'digest', 'weekly', '--period', '2027-W10']);
        expect(weekly.code).toBe(2);
        expect(weekly.stderr).toContain('2027-W10 is in the future');
        expect(run(['--now', NOW, 'digest', 'cash', '--period', '2026-12-01']).code).toBe(2);
        expect(run(['--now', NOW, 'metric', 'dials', '--period', '2027-W10']).code).toBe(2);
      });
    });

    describe('scorecard digest', () => {
      it('prints the weekly view model as JSON with the exact period', () => {
        const view = JSON.parse(run(['--now', NOW, 'digest', 'weekly', '--json']).stdout);
        expect(view.period).toMatchObject({ label: '2026-W46', start: '2026-11-09', end: '2026-11-15', timezone: 'America/Chicago' });
        expect(view.groups.length).toBeGreaterThanOrEqual(9);
        const total = Object.values<number>(view.summary).reduce((a, b) => a + b, 0);
        expect(total).toBe(view.groups.flatMap((g: { rows: unknown[] }) => g.rows).length);
      });

      it('re-renders a past week reproducibly', () => {
        const a = run(['--now', NOW, 'digest', 'weekly', '--period', '2026-W40']);
        expect(a.code).toBe(0);
        expect(a.stdout).toContain('Weekly scorecard 2026-W40');
        expect(a.stdout).toBe(run(['--now', NOW, 'digest', 'weekly', '--period', '2026-W40']).stdout);
      });

      it('prints the cash digest as JSON', () => {
        const view = JSON.parse(run(['--now', NOW, 'digest', 'cash', '--json']).stdout);
        expect(view.kind).toBe('cash');
        expect(view.items[0]).toMatchObject({ id: 'cash', window: 'now' });
      });
    });

    describe('configuration errors', () => {
      it('names the file, the YAML path and the fix for a broken scorecard.yml', () => {
        const text = readFileSync(join(root, 'scorecard.example.yml'), 'utf8').replace('op: ">="', 'op: ">"');
        const broken = join(dir, 'scorecard.yml');
        writeFileSync(broken, text);
        const { stderr, code } = run(['metric', 'cash'], { SCORECARD_CONFIG: broken });
        expect(code).toBe(2);
        expect(stderr).toContain('scorecard.yml');
        expect(stderr).toMatch(/metrics\.\w+\.goal\.op \(line \d+:\d+\)/);
      });
    });

    describe('scorecard import ad-spend', () => {
      it('imports daily spend that cost per MQL then divides by MQLs', () => {
        const before = JSON.parse(run(['--now', NOW, 'metric', 'ad_spend', '--json', '--period', '2026-W47']).stdout);
        const csv = join(dir, 'spend.csv');
        writeFileSync(csv, 'date,channel,spend_usd\n2026-11-16,google,400.25\n2026-11-16,meta,99.75\n');
        const imported = run(['--now', NOW, 'import', 'ad-spend', csv]);
        expect(imported.stderr).toBe('');
        expect(imported.stdout).toContain('Imported 2 rows: $500 over 1 days (2026-11-16 → 2026-11-16) into ad_spend.');
        const after = JSON.parse(run(['--now', NOW, 'metric', 'ad_spend', '--json', '--period', '2026-W47']).stdout);
        expect(after.value).toBeCloseTo((before.value ?? 0) + 500, 2);
        // Importing the same file again replaces the day instead of adding to it.
        run(['--now', NOW, 'import', 'ad-spend', csv]);
        expect(JSON.parse(run(['--now', NOW, 'metric', 'ad_spend', '--json', '--period', '2026-W47']).stdout).value).toBeCloseTo(
          after.value,
          2,
        );
      });

      it('refuses a file with bad lines and stores nothing', () => {
        const csv = join(dir, 'bad.csv');
        writeFileSync(csv, 'date,channel,spend_usd\n2026-11-15,google,abc\n');
        const { code, stderr } = run(['--now', NOW, 'import', 'ad-spend', csv]);
        expect(code).toBe(1);
        expect(stderr).toContain('line 2: spend_usd must be a number ≥ 0 — found "abc"');
      });
    });

    // `backup` is SQLite's online backup API (a Postgres database is backed up with pg_dump), so it runs on SQLite only.
    describe.runIf(kind === 'sqlite')('scorecard backup', () => {
      it('copies the database online', () => {
        const copy = join(dir, 'backup.db');
        const { code } = run(['backup', copy]);
        expect(code).toBe(0);
        const answer = JSON.parse(run(['--now', NOW, 'metric', 'cash', '--json'], { DATABASE_URL: `sqlite:${copy}` }).stdout);
        expect(answer.metric).toBe('cash');
        expect(typeof answer.value).toBe('number');
      });
    });
  },
  SPAWNING_TEST_TIMEOUT_MS,
);
