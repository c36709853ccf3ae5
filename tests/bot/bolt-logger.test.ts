import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { boltLogger } from '../../src/bot/bolt-logger.js';

function capture(level: string) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

describe('Bolt logging through pino', () => {
  it('writes what the level lets through, with Slack tokens redacted, and builds nothing for a dropped line', () => {
    const { logger, lines } = capture('info');
    const bolt = boltLogger(logger);
    let built = 0;
    const costly = {
      toJSON() {
        built++;
        return { token: 'xoxb-1234-abcd' };
      },
    };
    bolt.debug('incoming event', costly);
    expect(built).toBe(0);
    bolt.warn('retrying with', costly, new Error('token xapp-1-A111-secret refused'));
    expect(built).toBe(1);
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!) as { level: number; msg: string; component: string };
    expect(line.component).toBe('slack');
    expect(line.msg).toContain('retrying with');
    expect(line.msg).not.toMatch(/xoxb-|xapp-/);
    expect(line.msg).toContain('[redacted]');
  });
});
