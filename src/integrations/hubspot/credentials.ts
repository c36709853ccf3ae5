// HubSpot's token from the environment: pure env reading, no zod or HTTP, so connection.ts loads cheaply.
import type { Env } from '../source.js';

export function accessToken(env: Env): string | undefined {
  const token = env.HUBSPOT_ACCESS_TOKEN?.trim();
  return token ? token : undefined;
}
