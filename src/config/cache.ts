import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { buildDirOf, buildIdIn, writeBuildCacheEntry } from './build.cjs';
import type { Env } from './env.js';
import type { Config } from './schema.js';

/**
 * The validated config of a built CLI, kept on disk so a command run again skips YAML parsing and every schema
 * (most of a short command's start-up: `scorecard metric cash` spent ~45% of its CPU there). An entry is keyed by
 * the file's bytes, the build that validated it and the Node version (time zone names come from its ICU data), so
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
    join(dir, `${createHash('sha256').update(`${buildId}\0${version}\0${versions.icu}\0${versions.tz}\0${text}`).digest('hex')}.bin`);
  return {
    read(text) {
      try {
        return deserialize(readFileSync(fileOf(text))) as CachedConfig<Extra>;
      } catch {
        return undefined; // missing or unreadable: parse the file instead
      }
    },
    write(text, entry) {
      writeBuildCacheEntry(fileOf(text), serialize(entry), MAX_ENTRIES);
    },
  };
}
