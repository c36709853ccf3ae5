import type { DestinationStream } from 'pino';

/**
 * A pino destination that keeps log lines instead of writing them, for commands whose output is a report
 * (`doctor`): the lines are shown after it as plain text, never as JSON among its lines.
 */
export function bufferedLog(): { destination: DestinationStream; lines(): string[] } {
  const kept: string[] = [];
  return {
    destination: { write: (line: string) => void kept.push(plainLogLine(line)) },
    lines: () => [...kept],
  };
}

const LEVELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };

/** `{"level":40,"source":"hubspot","msg":"…"}` → `warn hubspot: …`; a line that is not JSON is kept as it is. */
export function plainLogLine(line: string): string {
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return line.trimEnd();
  }
  if (!record || typeof record !== 'object') return line.trimEnd();
  const { level, source, msg } = record as { level?: unknown; source?: unknown; msg?: unknown };
  const name = typeof level === 'number' ? (LEVELS[level] ?? String(level)) : 'log';
  const text = typeof msg === 'string' ? msg : '';
  // Source errors already start with their source ("zendesk: unavailable: …").
  const where = typeof source === 'string' && !text.startsWith(`${source}:`) ? ` ${source}:` : '';
  return `${name}${where} ${text}`;
}
