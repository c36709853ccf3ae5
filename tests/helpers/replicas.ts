import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Real `scorecard start` processes for the replica tests: spawned from the build, watched over /healthz. */

const root = fileURLToPath(new URL('../..', import.meta.url));
export const SCORECARD_BIN = join(root, 'dist/src/cli/main.cjs');
export const EXAMPLE_CONFIG = join(root, 'scorecard.example.yml');

export interface Replica {
  name: string;
  port: number;
  child: ChildProcess;
  /** Everything it wrote to stderr (its JSON log lines). */
  log: string;
}

/** Polls `probe` every 100 ms until it returns a value; throws after `ms`. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

async function freePort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export const health = async (replica: Replica): Promise<{ ok: boolean; leader: boolean } | undefined> => {
  try {
    return (await (await fetch(`http://127.0.0.1:${replica.port}/healthz`)).json()) as { ok: boolean; leader: boolean };
  } catch {
    return undefined;
  }
};

/** Spawns `scorecard start` in `cwd` with `env` (plus its own PORT) and waits until it answers /healthz (a loaded
 * machine has taken a minute). */
export async function startReplica(name: string, cwd: string, env: Record<string, string>): Promise<Replica> {
  const port = await freePort();
  const child = spawn(process.execPath, [SCORECARD_BIN, 'start'], {
    cwd,
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const replica: Replica = { name, port, child, log: '' };
  child.stderr!.on('data', (chunk: Buffer) => (replica.log += chunk.toString()));
  try {
    await waitFor(
      `${name} to listen`,
      () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
        return health(replica);
      },
      180_000,
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`replica ${name} did not start (${(error as Error).message}); its log ends:\n${replica.log.slice(-3000)}`);
  }
  return replica;
}

/** Waits until exactly one of the replicas says it leads; returns [leader, the others]. */
export async function oneLeader(replicas: Replica[]): Promise<[Replica, Replica[]]> {
  const states = await waitFor('one leader', async () => {
    const all = await Promise.all(replicas.map(health));
    return all.filter((s) => s?.leader).length === 1 ? all : undefined;
  });
  const leader = replicas[states.findIndex((s) => s?.leader)]!;
  return [leader, replicas.filter((r) => r !== leader)];
}

export async function killNow(replica: Replica): Promise<void> {
  if (replica.child.exitCode !== null || replica.child.signalCode !== null) return;
  const exited = new Promise((resolve) => replica.child.once('exit', resolve));
  replica.child.kill('SIGKILL');
  await exited;
}

/** SIGTERM to every replica still running, and waits for each to exit. */
export async function stopReplicas(replicas: Replica[]): Promise<void> {
  for (const replica of replicas) {
    if (replica.child.exitCode === null && replica.child.signalCode === null) {
      const exited = new Promise((resolve) => replica.child.once('exit', resolve));
      replica.child.kill('SIGTERM');
      await exited;
    }
  }
}
