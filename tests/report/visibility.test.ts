import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { pino } from 'pino';
import { openRuntime, type Runtime } from '../../src/runtime.js';
import { seedDemo } from '../../src/integrations/sample/demo.js';
import { syncStateFor } from '../../src/store/sync-state.js';
import { buildDigestJob } from '../../src/jobs/digest-render.js';
import { assertSlackLimits } from '../../src/slack/limits.js';
import { tempDbPath, removeTempDb } from '../helpers/tmp-store.js';

/** A channel's copy of the weekly scorecard leaves out sensitive figures unless the channel may see them. */

const NOW = new Date('2026-11-16T14:00:00Z');
let rt: Runtime;
const path = tempDbPath();

beforeAll(async () => {
  rt = await openRuntime({ databaseUrl: `sqlite:${path}`, now: NOW, env: {}, logger: pino({ level: 'silent' }), allConnected: true });
  await seedDemo(
    rt.store,
    rt.config,
    { config: rt.config, env: {}, logger: rt.logger, state: syncStateFor(rt.store, rt.now), now: NOW, stats: { calls: 0, rateLimited: 0 } },
    { weeks: 14 },
  );
});
afterAll(async () => {
  await rt.close();
  removeTempDb(path);
});

const textOf = (messages: { text: string; blocks: unknown[] }[]) => JSON.stringify(messages);

describe('the weekly scorecard posted to a channel', () => {
  it('leaves cash out of a channel without sensitive access, and says so', async () => {
    const { messages, snapshot } = await buildDigestJob(rt, 'weekly', '2026-W46', 'C0WEEKLY01').render();
    for (const message of messages) assertSlackLimits(message);
    expect(textOf(messages)).not.toContain('Cash position');
    expect(Object.keys(snapshot)).not.toContain('cash');
    expect(messages.at(-1)!.text).toBe("1 restricted metric is left out of this channel's scorecard; people with access can ask /metric.");
  });

  it('shows cash in a channel listed in slack.sensitive_access.channels', async () => {
    const { messages } = await buildDigestJob(rt, 'weekly', '2026-W46', 'C0CASH0001').render();
    expect(textOf(messages)).toContain('Cash position');
    expect(textOf(messages)).not.toContain('restricted metric');
  });
});
