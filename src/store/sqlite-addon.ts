import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { buildDirOf } from '../config/build.cjs';

const ADDON = join('build', 'Release', 'better_sqlite3.node');

/** A better-sqlite3 connection to `file`, its native addon opened by path (see `sqliteAddonPath`). */
export async function openSqliteConnection(file: string): Promise<BetterSqlite3.Database> {
  const { default: Database } = await import('better-sqlite3');
  const nativeBinding = sqliteAddonPath();
  return new Database(file, nativeBinding ? { nativeBinding } : {});
}

let located: { path: string | undefined } | undefined;

/**
 * better-sqlite3's compiled addon, by path, for its `nativeBinding` option. Without one the package finds it through
 * the `bindings` package, which reads the call stack and tries a dozen paths: with the modules it loads, about 8 ms of
 * a short CLI command. Inside the CLI bundle (which carries better-sqlite3's JavaScript) that search would start from
 * the bundle's folder and fail, so there the path is required. Undefined only when the package is not installed.
 */
export function sqliteAddonPath(): string | undefined {
  located ??= { path: locate() };
  return located.path;
}

function locate(): string | undefined {
  // The usual install: dist/ beside node_modules/ in the package root; no module resolution needed.
  const buildDir = buildDirOf(import.meta.url);
  if (buildDir !== undefined) {
    const beside = join(dirname(buildDir), 'node_modules', 'better-sqlite3', ADDON);
    if (existsSync(beside)) return beside;
  }
  try {
    const packageDir = dirname(createRequire(import.meta.url).resolve('better-sqlite3/package.json'));
    const addon = join(packageDir, ADDON);
    return existsSync(addon) ? addon : undefined;
  } catch {
    return undefined;
  }
}
