import { generateDataset, type DatasetOptions } from './dataset.js';
import { startFakeHubspot, type FakeHubspotOptions, type FakeHubspotStats } from './fake-hubspot.js';
import { groundTruth, weekOf } from './truth.js';

/**
 * The loopback HubSpot in its own process for the benchmark: its event loop never waits on the collector's,
 * so arrival times (what the limits are enforced on) are honest, and the collector's RSS is measured without
 * the dataset. Parent → child: `start`; child → parent: `ready` (url); parent → child: `finish`;
 * child → parent: `result` (request stats and the weekly ground truth).
 */

export interface ServerStart {
  type: 'start';
  dataset: DatasetOptions;
  server: FakeHubspotOptions;
  /** Owner emails whose activity the ground truth covers. */
  teamEmails: string[];
}

export type ServerReply =
  | { type: 'ready'; url: string; owners: { id: string; email: string }[] }
  | { type: 'result'; stats: Omit<FakeHubspotStats, 'searches'>; truth: [string, number][] };

process.on('message', (message: ServerStart | { type: 'finish' }) => {
  if (message.type !== 'start') return;
  void serve(message);
});

async function serve(start: ServerStart): Promise<void> {
  const data = generateDataset(start.dataset);
  const server = await startFakeHubspot(data, { ...start.server, recordSearches: false });
  reply({ type: 'ready', url: server.url, owners: data.owners.map(({ id, email }) => ({ id, email })) });
  process.once('message', async (message: { type: string }) => {
    if (message.type !== 'finish') return;
    await server.close();
    const team = new Set(data.owners.filter((o) => start.teamEmails.includes(o.email)).map((o) => o.id));
    const truth = groundTruth(data, team, {
      from: start.dataset.from,
      to: start.dataset.to,
      timezone: start.dataset.timezone,
      bucket: weekOf,
    });
    const { requests, rateLimited, rejected } = server.stats;
    reply({ type: 'result', stats: { requests, rateLimited, rejected }, truth: [...truth] });
    process.disconnect();
  });
}

function reply(message: ServerReply): void {
  process.send?.(message);
}
