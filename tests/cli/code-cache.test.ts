import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { commandOf } from '../../src/cli/code-cache.cjs';

/**
 * The code cache of the built CLI (src/cli/code-cache.cts), on a small bundle in a temp build folder, each run in a
 * process of its own as the CLI runs (the entry is written when the process exits). `npm test` builds first.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
const loader = join(root, 'dist/src/cli/code-cache.cjs');
const NOW = '2026-11-16T08:00:00-06:00';

let build: string;
let bundle: string;
beforeEach(() => {
  build = join(mkdtempSync(join(tmpdir(), 'scorecard-code-cache-')), 'dist');
  mkdirSync(join(build, 'src/cli'), { recursive: true });
  writeFileSync(join(build, 'build-id'), 'build-1\n');
  bundle = join(build, 'src/cli/cli.cjs');
  // Enough code that V8's cached data is more than a header; the answer shows the module ran, and ran once.
  const functions = Array.from({ length: 200 }, (_, i) => `function f${i}(x) { return x * ${i} + ${i}; }`).join('\n');
  writeFileSync(bundle, `${functions}\nglobalThis.runs = (globalThis.runs ?? 0) + 1;\nexports.answer = f7(5) + globalThis.runs;\n`);
});
afterEach(() => rmSync(join(build, '..'), { recursive: true, force: true }));

/** Runs the bundle through the loader in a fresh process, as `scorecard <command>` would. */
function runBundle(command: string, env: Record<string, string> = {}) {
  const script = `const { runCompiledBundle } = require(${JSON.stringify(loader)});
const exported = runCompiledBundle(${JSON.stringify(bundle)}, ['node', 'scorecard', ${JSON.stringify(command)}]);
process.stdout.write(String(exported?.answer));`;
  const result = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });
  expect(result.stderr).toBe('');
  return result.stdout;
}

const cacheDir = () => join(build, 'code-cache');
const entries = () => (existsSync(cacheDir()) ? readdirSync(cacheDir()) : []);

describe('the CLI code cache', () => {
  it('writes one entry per command at exit, then reuses it unchanged (V8 accepts it)', () => {
    expect(runBundle('metric')).toBe('43');
    const [entry] = entries();
    expect(entry).toMatch(/^metric-cli-build-1-v[0-9.]+-[a-z0-9]+-[a-z0-9]+-[a-z0-9]+\.bin$/);
    const written = statSync(join(cacheDir(), entry!));
    expect(written.size).toBeGreaterThan(200);
    // A rejected entry would be written again at exit.
    expect(runBundle('metric')).toBe('43');
    expect(statSync(join(cacheDir(), entry!)).mtimeMs).toBe(written.mtimeMs);
    expect(runBundle('digest')).toBe('43');
    expect(entries().sort()).toEqual([entry, expect.stringMatching(/^digest-/)].sort());
  });

  it('replaces an entry V8 refuses (corrupt, or from other source) and still runs', () => {
    runBundle('metric');
    const [entry] = entries();
    writeFileSync(join(cacheDir(), entry!), 'not V8 code cache data');
    expect(runBundle('metric')).toBe('43');
    expect(readFileSync(join(cacheDir(), entry!), 'utf8')).not.toBe('not V8 code cache data');
    // Same length, other source: V8 would take the old data (it checks the length only); the key changes instead.
    writeFileSync(bundle, readFileSync(bundle, 'utf8').replace('x * 7 + 7', 'x * 8 + 3'));
    expect(runBundle('metric')).toBe('44');
    expect(runBundle('metric')).toBe('44');
  });

  it('keys entries by build: a new build id writes new entries', () => {
    runBundle('metric');
    writeFileSync(join(build, 'build-id'), 'build-2\n');
    runBundle('metric');
    expect(entries()).toHaveLength(2);
  });

  it('is off with SCORECARD_CODE_CACHE=off or without a build id, and absent without a bundle', () => {
    expect(runBundle('metric', { SCORECARD_CODE_CACHE: 'off' })).toBe('43');
    rmSync(join(build, 'build-id'));
    expect(runBundle('metric')).toBe('43');
    expect(entries()).toEqual([]);
    rmSync(bundle);
    expect(runBundle('metric')).toBe('undefined');
  });

  it('writes no entry from a run that filled a cold cache; the next run writes it', () => {
    // The bundle marks the run as the config cache does (config/build.cts) when it had to parse and validate.
    writeFileSync(bundle, `${readFileSync(bundle, 'utf8')}globalThis[Symbol.for('scorecard.build-cache.cold-run')] = true;\n`);
    expect(runBundle('metric')).toBe('43');
    expect(entries()).toEqual([]);
    writeFileSync(bundle, readFileSync(bundle, 'utf8').replace(/globalThis\[Symbol.*\n/, ''));
    expect(runBundle('metric')).toBe('43');
    expect(entries()).toHaveLength(1);
  });

  it('names entries by the command word only', () => {
    // An option's value may come first; it then only names the entry, and never a path.
    expect(commandOf(['node', 'scorecard', '--config', 'x.yml', 'metric', 'cash'])).toBe('other');
    expect(commandOf(['node', 'scorecard', 'metric', 'cash'])).toBe('metric');
    expect(commandOf(['node', 'scorecard', '--help'])).toBe('other');
    expect(commandOf(['node', 'scorecard', '../../etc'])).toBe('other');
  });
});

describe('the built CLI with and without its code cache', () => {
  it('prints the same answer', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scorecard-code-cache-cli-'));
    try {
      const env = {
        PATH: process.env.PATH ?? '',
        SCORECARD_CONFIG: join(root, 'scorecard.example.yml'),
        SCORECARD_NOW: NOW,
        DATABASE_URL: `sqlite:${join(dir, 'demo.db')}`,
      };
      const cli = (args: string[], extra: Record<string, string> = {}) =>
        spawnSync(process.execPath, [join(root, 'dist/src/cli/main.cjs'), ...args], { encoding: 'utf8', env: { ...env, ...extra } });
      expect(cli(['demo', '--json']).status).toBe(0);
      const answers = [
        cli(['metric', 'cash', '--json']),
        cli(['metric', 'cash', '--json']),
        cli(['metric', 'cash', '--json'], { SCORECARD_CODE_CACHE: 'off' }),
      ];
      for (const answer of answers) expect(answer.status, answer.stderr).toBe(0);
      expect(JSON.parse(answers[0]!.stdout)).toMatchObject({ metric: 'cash' });
      expect(answers[1]!.stdout).toBe(answers[0]!.stdout);
      expect(answers[2]!.stdout).toBe(answers[0]!.stdout);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
