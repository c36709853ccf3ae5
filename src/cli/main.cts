#!/usr/bin/env node
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCompiledBundle } from './code-cache.cjs';
import type { CliEntry } from './program.js';

// The `scorecard` command. A build runs the CLI from one bundled file (dist/src/cli/cli.cjs, scripts/bundle-cli.mjs)
// with V8's code cache, so a short command skips most parsing and compiling; without a bundle (tsc's output alone) it
// imports the program's modules. `start` is the bot: its own unbundled modules, loaded from here.
type Program = { runCli: (entry: CliEntry) => Promise<void> };

// `.env` in the working directory, when present, fills variables the real environment does not set (real ones win).
// Loaded first, so every setting sees it, the code cache's own (SCORECARD_CODE_CACHE) included.
if (existsSync('.env')) process.loadEnvFile('.env');

const entry: CliEntry = { loadStart: () => import('./start.js') };
const bundled = runCompiledBundle<Program>(join(__dirname, 'cli.cjs'));
(bundled ? Promise.resolve(bundled) : (import('./program.js') as Promise<Program>)).then((program) => program.runCli(entry));
