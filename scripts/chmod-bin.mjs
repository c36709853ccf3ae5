// tsc drops the executable bit; the `bin` entry must stay runnable after every build.
import { chmodSync, existsSync } from 'node:fs';
const bin = new URL('../dist/src/cli/main.cjs', import.meta.url);
if (existsSync(bin)) chmodSync(bin, 0o755);
