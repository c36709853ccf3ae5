import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { openConfigCache, sampledName } from '../../src/config/cache.js';
import { loadConfig, packageRoot } from '../../src/config/load.js';
import { querySchemas, settingsSchemas } from '../../src/integrations/registry.js';

const example = join(packageRoot(), 'scorecard.example.yml');
const text = readFileSync(example, 'utf8');
const { config } = loadConfig({ path: example, env: {}, querySchemas: querySchemas(), settingsSchemas: settingsSchemas() });
/** What runtime.ts keeps beside the config (a zone table); any serializable value round-trips. */
const cachedEntry = { config, extra: { timezone: config.org.timezone, starts: [1, 2, 3] } };

let buildDir: string;
beforeEach(() => {
  buildDir = mkdtempSync(join(tmpdir(), 'scorecard-config-cache-'));
  writeFileSync(join(buildDir, 'build-id'), 'build-1\n');
});
afterEach(() => rmSync(buildDir, { recursive: true, force: true }));

const entries = () => readdirSync(join(buildDir, 'config-cache'));

describe('the config cache of a built CLI', () => {
  it('gives back the validated example config exactly (every default, every source setting)', () => {
    const cache = openConfigCache({}, buildDir)!;
    expect(cache.read(text)).toBeUndefined();
    cache.write(text, cachedEntry);
    const again = openConfigCache({}, buildDir)!.read(text);
    expect(isDeepStrictEqual(again, cachedEntry)).toBe(true);
    expect(again).not.toBe(cachedEntry);
  });

  it('misses once the file changes by one byte or the build changes', () => {
    openConfigCache({}, buildDir)!.write(text, cachedEntry);
    expect(openConfigCache({}, buildDir)!.read(`${text} `)).toBeUndefined();
    writeFileSync(join(buildDir, 'build-id'), 'build-2\n');
    expect(openConfigCache({}, buildDir)!.read(text)).toBeUndefined();
  });

  it('never gives the entry of another text that shares its file name', () => {
    // One character changed in the middle, where the name's hash does not look: same name, other text.
    const middle = Math.floor(text.length / 2);
    const sampled = (i: number) => i % Math.max(1, Math.floor(text.length / 2048)) === 0;
    const at = [middle, middle + 1, middle + 2].find((i) => !sampled(i))!;
    const edited = `${text.slice(0, at)}${text[at] === 'x' ? 'y' : 'x'}${text.slice(at + 1)}`;
    expect(sampledName(edited)).toBe(sampledName(text));
    const cache = openConfigCache({}, buildDir)!;
    cache.write(text, cachedEntry);
    expect(cache.read(edited)).toBeUndefined();
    expect(isDeepStrictEqual(cache.read(text), cachedEntry)).toBe(true);
  });

  it('is off without a build id (running from src/) or with SCORECARD_CONFIG_CACHE=off', () => {
    expect(openConfigCache({ SCORECARD_CONFIG_CACHE: 'off' }, buildDir)).toBeUndefined();
    rmSync(join(buildDir, 'build-id'));
    expect(openConfigCache({}, buildDir)).toBeUndefined();
  });

  it('treats an unreadable entry as a miss and replaces it', () => {
    const cache = openConfigCache({}, buildDir)!;
    cache.write(text, cachedEntry);
    const [entry] = entries();
    writeFileSync(join(buildDir, 'config-cache', entry!), 'not a serialized config');
    expect(cache.read(text)).toBeUndefined();
    cache.write(text, cachedEntry);
    expect(isDeepStrictEqual(cache.read(text), cachedEntry)).toBe(true);
  });

  it('keeps at most 20 entries and never leaves a partial file behind', () => {
    const cache = openConfigCache({}, buildDir)!;
    for (let i = 0; i < 25; i++) cache.write(`${text}\n# edit ${'x'.repeat(i)}\n`, cachedEntry);
    expect(entries()).toHaveLength(20);
    expect(entries().every((name) => name.endsWith('.bin'))).toBe(true);
    expect(isDeepStrictEqual(cache.read(`${text}\n# edit ${'x'.repeat(24)}\n`), cachedEntry)).toBe(true);
  });

  it('never fails a command when it cannot write (a read-only install)', () => {
    writeFileSync(join(buildDir, 'config-cache'), 'a file where the folder should be');
    const cache = openConfigCache({}, buildDir)!;
    expect(() => cache.write(text, cachedEntry)).not.toThrow();
    expect(cache.read(text)).toBeUndefined();
    expect(existsSync(join(buildDir, 'config-cache'))).toBe(true);
  });
});
