import { isAscii } from 'node:buffer';
import { readFileSync, statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { buildCacheFileName, buildDirOf, buildIdIn, wasColdRun, writeBuildCacheEntry } from '../config/build.cjs';

/**
 * Runs the bundled CLI (one CommonJS file) with V8's code cache, and returns its exports; undefined when there is no
 * bundle (tsc's output alone), so the caller imports the modules instead.
 *
 * Most of a short command's start-up was V8 parsing and compiling the code it loads (`scorecard metric cash`: about
 * 40% of its wall time). The first run of each command keeps what V8 compiled, after the command ran, so the
 * functions compiled lazily along the way are in it too; later runs hand it back and skip that work. Node 20 has no
 * code cache for ES modules (`module.enableCompileCache` is Node 22+), hence the CommonJS bundle run through
 * `vm.Script`, which takes cached data on every supported version. This module and main.cts are CommonJS too: an
 * ES module entry sets up Node's ES module loader first, ~10% of `scorecard metric cash`.
 *
 * Entries sit in the build folder beside the config cache (src/config/cache.ts, same reasoning), keyed by the build,
 * the bundle file, the Node version and the command; V8 also refuses data made by another V8 or for a script of
 * another length, and a refused entry is simply rewritten. SCORECARD_CODE_CACHE=off runs the bundle without one.
 */
export function runCompiledBundle<Exports>(file: string, argv = process.argv, env = process.env): Exports | undefined {
  let bytes: Buffer;
  let modified: number;
  try {
    bytes = readFileSync(file);
    modified = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  // The build writes the bundle as ASCII (scripts/bundle-cli.mjs): Latin-1 reads it as is, without decoding UTF-8.
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  const cacheFile =
    env.SCORECARD_CODE_CACHE === 'off'
      ? undefined
      : codeCacheFile(file, `${Math.trunc(modified * 1000).toString(36)}-${bytes.length.toString(36)}`, commandOf(argv));
  const cached = cacheFile === undefined ? undefined : readOrUndefined(cacheFile);
  const script = new Script(Module.wrap(source), { filename: file, cachedData: cached });
  if (cacheFile !== undefined && (cached === undefined || script.cachedDataRejected)) {
    // At exit, not now: by then V8 has compiled what this command actually runs. Not after a run that filled the
    // config cache: its YAML parsing and validation would sit in the entry, loaded by every later run for nothing.
    process.once('exit', () => {
      if (!wasColdRun()) writeBuildCacheEntry(cacheFile, script.createCachedData(), MAX_ENTRIES);
    });
  }
  const module = new Module(file);
  module.filename = file;
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
  return module.exports as Exports;
}

/** One entry per command for this build and Node (16 commands, each 0.6–1.6 MB); older builds' entries go first. */
const MAX_ENTRIES = 20;

/** The command word (`metric`, `digest`): each command's run compiles different functions, so each has its own entry. */
export function commandOf(argv: readonly string[]): string {
  const word = argv.slice(2).find((arg) => !arg.startsWith('-'));
  return word !== undefined && /^[a-z][a-z-]{0,30}$/.test(word) ? word : 'other';
}

/**
 * V8 checks cached data against the source's length, not its content, so the name holds the bundle's modification
 * time and size as well as the build id: a bundle edited or replaced outside `npm run build` never runs old code.
 * Plain values, no digest: Node's crypto module took longer to load than the rest of this file's work.
 */
function codeCacheFile(bundle: string, version: string, command: string): string | undefined {
  const buildDir = buildDirOf(pathToFileURL(bundle).href);
  const buildId = buildDir === undefined ? undefined : buildIdIn(buildDir);
  if (buildDir === undefined || buildId === undefined) return undefined;
  const name = buildCacheFileName([command, basename(bundle, '.cjs'), buildId.slice(0, 16), process.version, process.arch, version]);
  return join(buildDir, 'code-cache', name);
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}
