import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

/** Slack tokens and secrets that might ride along in a library's message; never let one reach a log line. */
const SLACK_SECRET = /\b(xox[abposre]-[A-Za-z0-9-]+|xapp-[A-Za-z0-9-]+)\b/g;

export function redactSlackSecrets(text: string): string {
  return text.replace(SLACK_SECRET, '[redacted]');
}

function messageOf(parts: unknown[]): string {
  const text = parts
    .map((part) => {
      if (part instanceof Error) return part.message;
      if (typeof part === 'string') return part;
      try {
        return JSON.stringify(part);
      } catch {
        return String(part);
      }
    })
    .join(' ');
  return redactSlackSecrets(text);
}

/** Bolt and its WebClient log through the app's pino logger (JSON on stderr), as plain messages only. */
export function boltLogger(logger: Logger): BoltLogger {
  const child = logger.child({ component: 'slack' });
  let level = LogLevel.INFO;
  let name = 'bolt';
  return {
    debug: (...parts) => child.debug({ from: name }, messageOf(parts)),
    info: (...parts) => child.info({ from: name }, messageOf(parts)),
    warn: (...parts) => child.warn({ from: name }, messageOf(parts)),
    error: (...parts) => child.error({ from: name }, messageOf(parts)),
    // The pino level decides what is written; Bolt's own level is kept only so getLevel answers consistently.
    setLevel: (next) => {
      level = next;
    },
    getLevel: () => level,
    setName: (next) => {
      name = next;
    },
  };
}
