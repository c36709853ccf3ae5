import type { SourceConnection } from '../source-connection.js';

/** Built in: always connected, it needs no credentials. */
export const sampleConnection: SourceConnection = {
  configured: () => true,
};
