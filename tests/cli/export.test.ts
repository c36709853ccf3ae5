import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../helpers/csv.js';
import { storeKinds, tempDatabaseUrl } from '../helpers/tmp-store.js';

/** `scorecard export csv|pdf` and `scorecard web-link`, through the built binary on the demo database, on each store. */

const root = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(root, 'dist/src/cli/main.cjs');
const NOW = '2026-11-16T08:00:00-06:00';
const SECRET = 'cli-test-web-secret-0123456789abcdef';

let dir: string;
let databaseUrl: string;

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [bin, '--now', NOW, ...args], {
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

interface JsonRow {
  id: string;
  name: string;
  this_week: string;
  values: { this_week: number | null };
}

describe.each(storeKinds())('%s store', (kind) => {
  let database: Awaited<ReturnType<typeof tempDatabaseUrl>>;
  beforeAll(async () => {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: run "npm run build" (npm test does it first)`);
    dir = mkdtempSync(join(tmpdir(), 'scorecard-export-'));
    database = await tempDatabaseUrl(kind);
    databaseUrl = database.url;
    expect(run(['--database', databaseUrl, 'demo']).code).toBe(0);
  }, 60_000);
  afterAll(async () => {
    await database?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const weeklyRows = (): { label: string; start: string; end: string; rows: JsonRow[] } => {
    const json = JSON.parse(run(['digest', 'weekly', '--json']).stdout) as {
      period: { label: string; start: string; end: string };
      groups: { rows: JsonRow[] }[];
    };
    return { ...json.period, rows: json.groups.flatMap((g) => g.rows) };
  };

  describe('scorecard export', () => {
    it('csv: one row per metric and week, the same values as digest weekly --json', () => {
      const week = weeklyRows();
      const out = run(['export', 'csv', '--from', week.start, '--to', week.end]);
      expect(out.code).toBe(0);
      const [header, ...rows] = parseCsv(out.stdout);
      expect(header![0]).toBe('metric_id');
      for (const row of week.rows) {
        const csv = rows.find((r) => r[0] === row.id && r[2] === week.label);
        expect(csv, row.id).toBeDefined();
        expect(csv![3] === '' ? null : Number(csv![3]), row.id).toBe(row.values.this_week);
      }
    });

    it('csv: bad ranges are one clear message', () => {
      const out = run(['export', 'csv', '--from', '2026-11-30', '--to', '2026-11-01']);
      expect(out.code).toBe(1);
      expect(out.stderr).toBe('export csv: to (2026-11-01) is before from (2026-11-30).\n');
    });

    it("pdf: pdftotext finds every metric's name and this week's value", () => {
      const week = weeklyRows();
      const file = join(dir, 'week.pdf');
      expect(run(['export', 'pdf', '--period', week.label, '-o', file]).code).toBe(0);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      for (const row of week.rows) {
        const line = text.split('\n').find((l) => l.trimStart().startsWith(row.name));
        expect(line, row.name).toBeDefined();
        expect(line, row.name).toContain(row.this_week.replace('≥', '>=').replace('∞', 'inf'));
      }
      expect(readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');
    });
  });

  describe('scorecard web-link', () => {
    it('prints a one-time link under PUBLIC_URL, or says what is missing', () => {
      const out = run(['web-link', '--user', 'U0ADMIN001'], { PUBLIC_URL: 'https://scorecard.example.com', WEB_SESSION_SECRET: SECRET });
      expect(out.code).toBe(0);
      expect(out.stdout).toMatch(/^https:\/\/scorecard\.example\.com\/signin\?token=[\w.-]+\n$/);
      expect(out.stdout).not.toContain(SECRET);
      const missing = run(['web-link', '--user', 'U0ADMIN001']);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('PUBLIC_URL and WEB_SESSION_SECRET');
    });
  });
});
