import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { buildCacheFileName, buildDirOf, buildIdIn, markColdRun, writeBuildCacheEntry } from './build.cjs';
import type { Env } from './env.js';
import type { Config } from './schema.js';

/**
 * The validated config of a built CLI, kept on disk so a command run again skips YAML parsing and every schema
 * (most of a short command's start-up: `scorecard metric cash` spent ~45% of its CPU there). An entry is keyed by
 * the file's text, the build that validated it and the Node version (time zone names come from its ICU data), so
 * editing the config, rebuilding or upgrading Node simply misses. Only a config that loaded without problems is
 * kept: a broken file is parsed, and reported, every time.
 *
 * It lives in the build folder (`dist/`), next to the `build-id` the build writes: whoever can write there can
 * already change the code, so the cache opens no new way in. Running from `src/` (tests) there is no build id and
 * so no cache. A read-only install just never writes one.
 */

/** A validated config, with whatever its user derives from it once and wants back with it (runtime.ts: zone offsets). */
export interface CachedConfig<Extra> {
  config: Config;
  extra: Extra;
}

export interface ConfigCache<Extra> {
  read(text: string): CachedConfig<Extra> | undefined;
  write(text: string, entry: CachedConfig<Extra>): void;
}

/** Entries kept; older ones (other config files, earlier edits) are removed when a new one is written. */
const MAX_ENTRIES = 20;

/** The cache for this build, or undefined when there is no build id (running from source) or it is switched off. */
export function openConfigCache<Extra>(env: Env, buildDir = buildDirOf(import.meta.url)): ConfigCache<Extra> | undefined {
  if (env.SCORECARD_CONFIG_CACHE === 'off' || buildDir === undefined) return undefined;
  const buildId = buildIdIn(buildDir);
  if (buildId === undefined) return undefined;
  const dir = join(buildDir, 'config-cache');
  const { version, versions } = process;
  const fileOf = (text: string) =>
    join(dir, buildCacheFileName([buildId.slice(0, 16), version, `icu${versions.icu ?? ''}`, `tz${versions.tz ?? ''}`, sampledName(text)]));
  return {
    read(text) {
      try {
        const stored = deserialize(readFileSync(fileOf(text))) as StoredEntry<Extra>;
        // The name only narrows the search: an entry made from other text (a clash) is a miss, never a wrong config.
        return stored.text === text ? stored.entry : undefined;
      } catch {
        return undefined; // missing or unreadable: parse the file instead
      }
    },
    write(text, entry) {
      writeBuildCacheEntry(fileOf(text), serialize({ text, entry } satisfies StoredEntry<Extra>), MAX_ENTRIES);
      markColdRun();
    },
  };
}

/** What an entry's file holds: the config text it was made from, compared whole on every read, and the result. */
interface StoredEntry<Extra> {
  text: string;
  entry: CachedConfig<Extra>;
}

/**
 * An entry's file name from its text: the length and a hash of ~2,000 of its characters spread over it, and its end.
 * Not a digest, and not meant as one: the entry holds its text and is used only for exactly that text. Hashing the
 * whole file (or loading Node's crypto module to do it) took longer than reading the cached config back.
 */
export function sampledName(text: string): string {
  const step = Math.max(1, Math.floor(text.length / 2048));
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += step) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  // And the end whole: a line added at the bottom is the commonest edit.
  for (let i = Math.max(0, text.length - 256); i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return `${text.length.toString(36)}-${(hash >>> 0).toString(36)}`;
}
