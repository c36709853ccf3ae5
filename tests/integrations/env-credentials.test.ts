import { describe, expect, it } from 'vitest';
import { requiredEnv } from '../../src/integrations/env-credentials.js';

describe('requiredEnv', () => {
  const variables = { user: 'X_USER', secret: 'X_SECRET' } as const;

  it('gives every field its variable, trimmed', () => {
    expect(requiredEnv({ X_USER: ' ops@example.com\n', X_SECRET: 's3cret ', OTHER: 'x' }, variables)).toEqual({
      user: 'ops@example.com',
      secret: 's3cret',
    });
  });

  it('gives nothing unless the whole set is there: a missing or blank variable leaves the source unconfigured', () => {
    expect(requiredEnv({ X_USER: 'ops' }, variables)).toBeUndefined();
    expect(requiredEnv({ X_USER: 'ops', X_SECRET: '   ' }, variables)).toBeUndefined();
    expect(requiredEnv({}, variables)).toBeUndefined();
  });
});
