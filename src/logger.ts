import { createRequire } from 'node:module';
import type { Logger, DestinationStream } from 'pino';

// pino (and its dozen modules) loads when a logger is first made, not when this module is: a short CLI command that
// logs nothing never makes one (see `openRuntime`), and loading it was ~10% of `scorecard metric cash`.
const loadPino = () => (createRequire(import.meta.url)('pino') as typeof import('pino')).pino;

/**
 * One logger for the process. Structured JSON on stderr (stdout is for command output), with header and
 * credential paths redacted as a second line of defence; the HTTP layer already redacts what it logs.
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
  const pino = loadPino();
  return pino(
    {
      level,
      base: undefined,
      redact: {
        paths: [
          'headers.authorization',
          'headers.Authorization',
          '*.headers.authorization',
          '*.headers.Authorization',
          'token',
          '*.token',
          'accessUrl',
          '*.accessUrl',
          'password',
          '*.password',
        ],
        censor: '[redacted]',
      },
    },
    destination ?? pino.destination(2),
  );
}
