import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, packageRoot, resolveConfigPath } from '../../src/config/index.js';
import { BASE_CONFIG, makeTempDir, replaceOnce, type TempDir } from './helpers.js';

const EXAMPLE = path.join(packageRoot(), 'scorecard.example.yml');

let temp: TempDir;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.remove());

describe('the shipped example', () => {
  it('loads cleanly with defaults filled in', () => {
    const loaded = loadConfig({ path: EXAMPLE, env: {} });
    expect(loaded.path).toBe(EXAMPLE);
    expect(loaded.metrics).toHaveLength(35);
    expect(loaded.config.org).toEqual({ name: 'Example Co', timezone: 'America/Chicago', week_start: 'monday' });
    expect(loaded.config.defaults.tolerance_pct).toBe(10);
    expect(loaded.config.schedule.weekly).toBe('0 8 * * 1');
    expect(loaded.config.support.business_hours?.week.saturday).toBeUndefined();
    expect(loaded.config.support.business_hours?.week.monday).toEqual(['08:00', '17:00']);
  });

  it('gives every metric its id and keeps catalog order', () => {
    const { metrics, config } = loadConfig({ path: EXAMPLE, env: {} });
    expect(metrics.slice(0, 3).map((metric) => metric.id)).toEqual(['dials', 'dm_conversations', 'ftas_set']);
    expect(metrics.at(-1)?.id).toBe('devices_missing_patches');
    for (const metric of metrics) expect(config.metrics[metric.id]?.name).toBe(metric.name);
  });

  it('gives hand-entered metrics entry bounds fitted to their unit, keeping what the author wrote', () => {
    const { config } = loadConfig({ path: EXAMPLE, env: {} });
    expect(config.metrics.outside_coi_attended?.entry).toEqual({ min: 0, max: 20, decimal: false });
    // source hubspot + manual: true, no entry written → count defaults
    expect(config.metrics.ftas_attended?.entry).toEqual({ min: 0, max: 1000, decimal: false });
    expect(config.metrics.dials?.entry).toBeUndefined();
  });

  it('fills currency entry bounds with decimals for a manual currency metric', () => {
    const text = replaceOnce(BASE_CONFIG, '    source: hubspot\n    query: { object: deals }\n', '    source: manual\n');
    const file = temp.write('manual.yml', text);
    const { config } = loadConfig({ path: file, env: {} });
    expect(config.metrics.mrr_closed?.entry).toEqual({ min: 0, max: 10_000_000, decimal: true });
  });

  it('stores the canonical spelling of the time zone', () => {
    const file = temp.write('tz.yml', replaceOnce(BASE_CONFIG, 'America/Chicago', 'america/chicago'));
    expect(loadConfig({ path: file, env: {} }).config.org.timezone).toBe('America/Chicago');
  });

  it('accepts YAML anchors and merge keys for shared goals', () => {
    const text = replaceOnce(
      BASE_CONFIG,
      '    goal: { op: ">=", value: 125 }\n',
      '    goal: &weekly_min { op: ">=", value: 125 }\n',
    ).replace('    goal:\n      op: ">="\n      value: 500\n', '    goal: { <<: *weekly_min, value: 500 }\n');
    const file = temp.write('anchors.yml', text);
    expect(loadConfig({ path: file, env: {} }).config.metrics.mrr_closed?.goal).toEqual({ op: '>=', value: 500 });
  });
});

describe('config path resolution', () => {
  it('uses the explicit path first, even when SCORECARD_CONFIG and ./scorecard.yml exist', () => {
    const explicit = temp.write('explicit.yml', replaceOnce(BASE_CONFIG, 'Test Co', 'Explicit Co'));
    temp.write('env.yml', replaceOnce(BASE_CONFIG, 'Test Co', 'Env Co'));
    temp.write('scorecard.yml', BASE_CONFIG);
    const loaded = loadConfig({ path: 'explicit.yml', env: { SCORECARD_CONFIG: 'env.yml' }, cwd: temp.dir });
    expect(loaded.config.org.name).toBe('Explicit Co');
    expect(loaded.path).toBe(explicit);
  });

  it('uses SCORECARD_CONFIG before ./scorecard.yml', () => {
    temp.write('env.yml', replaceOnce(BASE_CONFIG, 'Test Co', 'Env Co'));
    temp.write('scorecard.yml', BASE_CONFIG);
    const loaded = loadConfig({ env: { SCORECARD_CONFIG: 'env.yml' }, cwd: temp.dir });
    expect(loaded.config.org.name).toBe('Env Co');
    expect(resolveConfigPath({ env: { SCORECARD_CONFIG: 'env.yml' }, cwd: temp.dir }).origin).toBe('SCORECARD_CONFIG');
  });

  it('uses ./scorecard.yml when nothing is configured', () => {
    const local = temp.write('scorecard.yml', BASE_CONFIG);
    const loaded = loadConfig({ env: {}, cwd: temp.dir });
    expect(loaded.path).toBe(local);
    expect(loaded.config.org.name).toBe('Test Co');
  });

  it('falls back to the example shipped at the package root', () => {
    const loaded = loadConfig({ env: {}, cwd: temp.dir });
    expect(loaded.path).toBe(EXAMPLE);
    expect(loaded.config.org.name).toBe('Example Co');
    expect(readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')).toContain('"name": "scorecard"');
  });

  it('names the missing file and how to fix it when SCORECARD_CONFIG points nowhere', () => {
    temp.write('scorecard.yml', BASE_CONFIG);
    let error: unknown;
    try {
      loadConfig({ env: { SCORECARD_CONFIG: 'missing.yml' }, cwd: temp.dir });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('missing.yml has 1 problem:');
    expect(message).toContain(`expected a readable config file — found no such file at ${path.join(temp.dir, 'missing.yml')}`);
    expect(message).toContain('fix: check SCORECARD_CONFIG, or copy scorecard.example.yml to scorecard.yml');
  });
});

describe('hostile files', () => {
  const problemsOf = (file: string): string => {
    try {
      loadConfig({ path: file, env: {} });
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('reports an alias bomb as a config problem naming the file', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) {
      const prev = String.fromCharCode(96 + i);
      const next = String.fromCharCode(97 + i);
      bomb.push(`${next}: &${next} [${Array.from({ length: 9 }, () => `*${prev}`).join(',')}]`);
    }
    const file = temp.write('bomb.yml', `${bomb.join('\n')}\n`);
    const message = problemsOf(file);
    expect(message).toContain('bomb.yml');
    expect(message).toMatch(/alias/i);
    expect(message).toMatch(/line 1/);
  });

  it('refuses a file over the size cap before parsing it, naming the file', () => {
    const file = temp.write('huge.yml', `# ${'x'.repeat(1024 * 1024 + 10)}\n`);
    const message = problemsOf(file);
    expect(message).toContain('huge.yml');
    expect(message).toContain('at most 1024 KB');
  });
});
