import { createServer, type Server } from 'node:net';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { doctorCommand } from '../../src/cli/doctor.js';
import { storeKinds, tempDatabaseUrl } from '../helpers/tmp-store.js';

/**
 * `scorecard doctor` answers fast: one attempt per source (no retries on a network error), its report free of JSON
 * log lines (warnings come after it, as plain text), and either/or credentials shown as alternatives.
 */

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

/** A loopback server that accepts each connection and resets it at once (ECONNRESET, a retryable network error). */
async function resettingServer(): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}`,
    connections: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on: a server opened and closed again. */
async function refusedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${address.port}`;
}

const ZENDESK = { ZENDESK_SUBDOMAIN: 'acme', ZENDESK_EMAIL: 'ops@example.com', ZENDESK_API_TOKEN: 'zendesk-secret-token' };

describe.each(storeKinds())('scorecard doctor probes (%s)', (kind) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function run(env: Record<string, string>, timeout = '2') {
    const db = await tempDatabaseUrl(kind);
    cleanups.push(db.cleanup);
    const out = new Collect();
    const err = new Collect();
    const ok = await doctorCommand({}, { timeout }, { out, err }, { env, databaseUrl: db.url });
    return { ok, out: out.text, err: err.text };
  }

  it('tries a source once on a network error, and keeps log lines out of the report', async () => {
    const server = await resettingServer();
    cleanups.push(server.close);
    const result = await run({ ...ZENDESK, ZENDESK_BASE_URL: server.url });
    // The shared client would retry a reset connection four times; doctor's probe makes exactly one attempt.
    expect(server.connections()).toBe(1);
    expect(result.ok).toBe(false);
    expect(result.out).toMatch(/^✖ source zendesk\s+.*ECONNRESET/m);
    for (const line of `${result.out}${result.err}`.split('\n')) expect(line.trimStart()).not.toMatch(/^\{/);
    // The failed call's warning comes after the report, as plain text.
    expect(result.err).toMatch(/logged while checking:\n {2}warn zendesk: unavailable: GET http:\/\/127\.0\.0\.1:\d+\/api\/v2\/users\/me/);
    expect(`${result.out}${result.err}`).not.toContain(ZENDESK.ZENDESK_API_TOKEN);
  });

  it('reports a refused connection as failing', async () => {
    const result = await run({ ...ZENDESK, ZENDESK_BASE_URL: await refusedUrl() });
    expect(result.out).toMatch(/^✖ source zendesk\s+.*ECONNREFUSED/m);
    expect(result.out).not.toMatch(/retrying/);
    expect(result.err).not.toMatch(/retrying/);
  });

  it('shows either/or credentials as alternatives', async () => {
    const result = await run({});
    expect(result.ok).toBe(true);
    expect(result.out).toContain('· source zendesk');
    expect(result.out).toContain(
      'not configured (set ZENDESK_SUBDOMAIN and either ZENDESK_EMAIL + ZENDESK_API_TOKEN, or ZENDESK_OAUTH_TOKEN)',
    );
    expect(result.out).toContain(
      'not configured (set either DATTO_BCDR_PUBLIC_KEY + DATTO_BCDR_SECRET_KEY, or DATTO_RMM_API_KEY + DATTO_RMM_API_SECRET)',
    );
    expect(result.out).toContain('not configured (set JIRA_BASE_URL, JIRA_EMAIL, JIRA_API_TOKEN)');
    expect(result.err).toBe('');
  });

  it('refuses a timeout that is not a positive number', async () => {
    await expect(run({}, 'soon')).rejects.toThrow('--timeout must be a number of seconds — got "soon"');
  });
});
