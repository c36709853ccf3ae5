import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
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

export interface ConfigCache {
  read(text: string): Config | undefined;
  write(text: string, config: Config): void;
}

/** Entries kept; older ones (other config files, earlier edits) are removed when a new one is written. */
const MAX_ENTRIES = 20;

/** The build folder this module runs from (`dist/src/config/cache.js`, or a bundle chunk under `dist/`), if any. */
function buildDirOfThisModule(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  const at = here.lastIndexOf(`${sep}dist${sep}`);
  return at < 0 ? undefined : here.slice(0, at + sep.length + 'dist'.length);
}

/** The cache for this build, or undefined when there is no build id (running from source) or it is switched off. */
export function openConfigCache(env: Env, buildDir = buildDirOfThisModule()): ConfigCache | undefined {
  if (env.SCORECARD_CONFIG_CACHE === 'off' || buildDir === undefined) return undefined;
  let buildId: string;
  try {
    buildId = readFileSync(join(buildDir, 'build-id'), 'utf8').trim();
  } catch {
    return undefined;
  }
  if (buildId === '') return undefined;
  const dir = join(buildDir, 'config-cache');
  const { version, versions } = process;
  const fileOf = (text: string) =>
    join(dir, `${createHash('sha256').update(`${buildId}\0${version}\0${versions.icu}\0${versions.tz}\0${text}`).digest('hex')}.bin`);
  return {
    read(text) {
      try {
        return deserialize(readFileSync(fileOf(text))) as Config;
      } catch {
        return undefined; // missing or unreadable: parse the file instead
      }
    },
    write(text, config) {
      try {
        mkdirSync(dir, { recursive: true });
        const file = fileOf(text);
        // Written whole, then renamed: a concurrent reader sees the old entry or the new one, never half of one.
        const partial = `${file}.${process.pid}.tmp`;
        writeFileSync(partial, serialize(config));
        renameSync(partial, file);
        prune(dir);
      } catch {
        // A cache that cannot be written only costs the next run its parse.
      }
    },
  };
}

function prune(dir: string): void {
  const entries = readdirSync(dir)
    .filter((name) => name.endsWith('.bin'))
    .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => b.mtime - a.mtime);
  for (const entry of entries.slice(MAX_ENTRIES)) unlinkSync(entry.path);
}
