import { pino, type Logger, type DestinationStream } from 'pino';

/**
 * One logger for the process. Structured JSON on stderr (stdout is for command output), with header and
 * credential paths redacted as a second line of defence; the HTTP layer already redacts what it logs.
 */
export function createLogger(level = 'info', destination?: DestinationStream): Logger {
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
