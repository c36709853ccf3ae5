import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Env } from './env.js';
import { ConfigError } from './errors.js';

/**
 * Finding and reading the config file, apart from parsing it (load.ts): a command whose config is already in the
 * cache (cache.ts) reads the file without loading the YAML parser or any schema.
 */

export interface ConfigFileOptions {
  /** Explicit config file; relative paths resolve against `cwd`. */
  path?: string;
  /** Where `SCORECARD_CONFIG` is read from (default `process.env`). */
  env?: Env;
  /** Directory for relative paths and the `./scorecard.yml` lookup (default `process.cwd()`). */
  cwd?: string;
}

export interface ResolvedConfigPath {
  /** Absolute path. */
  path: string;
  /** The name problems are reported under: as given, or relative to cwd. */
  displayName: string;
  origin: 'option' | 'SCORECARD_CONFIG' | 'cwd' | 'example';
}

export interface ConfigFile extends ResolvedConfigPath {
  text: string;
}

const EXAMPLE_FILE = 'scorecard.example.yml';

/** Explicit path, else SCORECARD_CONFIG, else ./scorecard.yml when it exists, else the example shipped with the package. */
export function resolveConfigPath(options: ConfigFileOptions = {}): ResolvedConfigPath {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  if (options.path) return { path: path.resolve(cwd, options.path), displayName: options.path, origin: 'option' };
  const fromEnv = env.SCORECARD_CONFIG;
  if (fromEnv) return { path: path.resolve(cwd, fromEnv), displayName: fromEnv, origin: 'SCORECARD_CONFIG' };
  const local = path.resolve(cwd, 'scorecard.yml');
  if (existsSync(local)) return { path: local, displayName: 'scorecard.yml', origin: 'cwd' };
  const example = path.join(packageRoot(), EXAMPLE_FILE);
  const relative = path.relative(cwd, example);
  const displayName = relative.startsWith('..') || path.isAbsolute(relative) ? example : relative;
  return { path: example, displayName, origin: 'example' };
}

let cachedRoot: string | undefined;

/** The nearest folder above this module holding package.json: works from src/config/ and from dist/src/config/. */
export function packageRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
  cachedRoot = dir;
  return dir;
}

/** Read whole and parsed in memory: a file this large is a mistake (or an attack), not a catalog. */
const MAX_CONFIG_BYTES = 1024 * 1024;

export function readConfigFile(options: ConfigFileOptions = {}): ConfigFile {
  const resolved = resolveConfigPath(options);
  try {
    const size = statSync(resolved.path).size;
    if (size > MAX_CONFIG_BYTES) {
      throw new ConfigError(resolved.displayName, [
        {
          path: '',
          expected: `a config file of at most ${MAX_CONFIG_BYTES / 1024} KB`,
          found: `${Math.ceil(size / 1024)} KB at ${resolved.path}`,
          hint: 'a scorecard catalog is tens of KB; check that this is the right file',
        },
      ]);
    }
    return { ...resolved, text: readFileSync(resolved.path, 'utf8') };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new ConfigError(resolved.displayName, [
      {
        path: '',
        expected: 'a readable config file',
        found: `${reason} at ${resolved.path}`,
        hint: `check ${resolved.origin === 'SCORECARD_CONFIG' ? 'SCORECARD_CONFIG' : 'the path'}, or copy ${EXAMPLE_FILE} to scorecard.yml`,
      },
    ]);
  }
}
