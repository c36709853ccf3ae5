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
  // Bolt logs debug lines on every request: a line pino would drop is not built (joined, stringified, redacted).
  const at =
    (method: 'debug' | 'info' | 'warn' | 'error') =>
    (...parts: unknown[]) => {
      if (child.isLevelEnabled(method)) child[method]({ from: name }, messageOf(parts));
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
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
