import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildDirOf } from '../config/build.cjs';

const ADDON = join('build', 'Release', 'better_sqlite3.node');

let found: string | null | undefined;

/**
 * better-sqlite3's compiled addon, by path, for its `nativeBinding` option. Without one the package finds it through
 * the `bindings` package, which reads the call stack and tries a dozen paths: with the modules it loads, about 8 ms of
 * a short CLI command. Inside the CLI bundle (which carries better-sqlite3's JavaScript) that search could not even
 * start from the package's folder. Undefined when the package is not where Node would find it: then the package
 * looks for its addon itself, as it always did.
 */
export function sqliteAddonPath(): string | undefined {
  if (found === undefined) found = locate() ?? null;
  return found ?? undefined;
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
