import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The build a module runs from: the `dist/` folder above it and the build id `npm run build` writes there (a hash of
 * every emitted module, scripts/build-id.mjs). The on-disk caches of a built CLI (validated config, V8 code) key their
 * entries by it, so a rebuild never reuses what older code produced. Running from `src/` (tests) there is neither.
 */
export function buildDirOf(moduleUrl: string): string | undefined {
  const here = fileURLToPath(moduleUrl);
  const at = here.lastIndexOf(`${sep}dist${sep}`);
  return at < 0 ? undefined : here.slice(0, at + sep.length + 'dist'.length);
}

export function buildIdIn(buildDir: string): string | undefined {
  try {
    return readFileSync(join(buildDir, 'build-id'), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

/** A build cache entry's file name from its parts, joined by `-`; anything but letters, digits, `.` and `-` becomes `_`. */
export function buildCacheFileName(parts: readonly string[]): string {
  return `${parts.join('-').replace(/[^A-Za-z0-9.-]/g, '_')}.bin`;
}

/**
 * Writes one entry of a build cache whole, then renames it into place, so a concurrent reader sees the old entry or
 * the new one, never half of one; then keeps only the newest `maxEntries`. A cache that cannot be written (a
 * read-only install) only costs the next run what the entry would have saved, so failures are ignored.
 */
export function writeBuildCacheEntry(file: string, bytes: Uint8Array, maxEntries: number): void {
  try {
    const dir = dirname(file);
    mkdirSync(dir, { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, bytes);
    renameSync(partial, file);
    const entries = readdirSync(dir)
      .filter((name) => name.endsWith('.bin'))
      .map((name) => ({ path: join(dir, name), mtime: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.mtime - a.mtime);
    for (const entry of entries.slice(maxEntries)) unlinkSync(entry.path);
  } catch {
    // see above
  }
}

/**
 * A run that filled a cold cache (the config parsed and validated, now cached) compiled code later runs will not
 * need: the code cache (src/cli/code-cache.cts) is not written from it, and the next run writes a leaner one. The
 * flag is on the global object because the CLI bundle carries its own copy of this module.
 */
const COLD_RUN = Symbol.for('scorecard.build-cache.cold-run');

export function markColdRun(): void {
  (globalThis as Record<symbol, unknown>)[COLD_RUN] = true;
}

export function wasColdRun(): boolean {
  return (globalThis as Record<symbol, unknown>)[COLD_RUN] === true;
}
