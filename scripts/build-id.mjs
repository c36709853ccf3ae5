// The build's identity: a hash of every emitted module. The config cache (src/config/cache.ts) keys its entries by
// it, so a rebuild with different code never reuses a config validated by the old code.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const hash = createHash('sha256');
const files = readdirSync(join(dist, 'src'), { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && (entry.name.endsWith('.js') || entry.name.endsWith('.cjs')))
  .map((entry) => join(entry.parentPath, entry.name))
  .sort();
for (const file of files)
  hash
    .update(`${relative(dist, file)}\0`)
    .update(readFileSync(file))
    .update('\0');
writeFileSync(join(dist, 'build-id'), `${hash.digest('hex')}\n`);
