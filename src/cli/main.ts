#!/usr/bin/env node
import { runCompiledBundle } from './code-cache.js';
import type { CliEntry } from './program.js';

// The `scorecard` command. A build runs the CLI from one bundled file (dist/src/cli/cli.cjs, scripts/bundle-cli.mjs)
// with V8's code cache, so a short command skips most parsing and compiling; without a bundle (running tsc's output
// alone) it imports the program's modules. `start` is the bot: its own unbundled modules, loaded from here.
const entry: CliEntry = { loadStart: () => import('./start.js') };
const bundled = runCompiledBundle<{ runCli: (entry: CliEntry) => Promise<void> }>(new URL('./cli.cjs', import.meta.url));
await (bundled ?? (await import('./program.js'))).runCli(entry);
