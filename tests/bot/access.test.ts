import { describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../src/config/schema.js';
import { canChangeEntry, canSeeMetric, canShareInChannel, identityOf, isAdmin, isPerson, ownsMetric } from '../../src/bot/access.js';

const config: Config = configSchema.parse({
  org: { name: 'Test Co', timezone: 'America/Chicago' },
  slack: {
    admins: ['U0ADMIN001', 'boss@example.com'],
    sensitive_access: { users: ['U0CFO00001', 'Treasurer@Example.com'], channels: ['C0CASH0001'] },
    users: { 'rep@example.com': 'W111', 'boss@example.com': 'U0BOSS0001' },
  },
  groups: [{ id: 'g', name: 'G', metrics: ['cash'] }],
  metrics: {
    cash: {
      name: 'Cash',
      unit: 'currency',
      aggregate: 'last',
      source: 'manual',
      sensitive: true,
      definition: 'd',
      why: 'w',
      calculation: 'c',
    },
  },
});
const cash = { sensitive: true };
const open = { sensitive: false };

describe('who is who', () => {
  it('is a user id plus the emails the config maps to it, plus one learnt from users.info', () => {
    expect(identityOf(config, 'W111')).toEqual({ userId: 'W111', emails: ['rep@example.com'] });
    expect(identityOf(config, 'W111', 'Rep.Other@Example.com')).toEqual({
      userId: 'W111',
      emails: ['rep@example.com', 'rep.other@example.com'],
    });
    expect(identityOf(config, 'U0NOBODY01')).toEqual({ userId: 'U0NOBODY01', emails: [] });
  });

  it('matches config people by id, or by email case-insensitively', () => {
    const rep = identityOf(config, 'W111');
    expect(isPerson('W111', rep)).toBe(true);
    expect(isPerson('REP@example.com', rep)).toBe(true);
    expect(isPerson('other@example.com', rep)).toBe(false);
    expect(isPerson(undefined, rep)).toBe(false);
    expect(ownsMetric({ owner: 'rep@example.com' }, rep)).toBe(true);
    expect(ownsMetric({}, rep)).toBe(false);
  });

  it('knows admins by id or mapped email', () => {
    expect(isAdmin(config, identityOf(config, 'U0ADMIN001'))).toBe(true);
    expect(isAdmin(config, identityOf(config, 'U0BOSS0001'))).toBe(true);
    expect(isAdmin(config, identityOf(config, 'W111'))).toBe(false);
  });
});

describe('sensitive metrics', () => {
  it('are shown to listed users anywhere, to anyone in a listed channel, and to nobody else', () => {
    const rep = identityOf(config, 'W111');
    expect(canSeeMetric(config, cash, identityOf(config, 'U0CFO00001'), 'C111')).toBe(true);
    expect(canSeeMetric(config, cash, identityOf(config, 'U0TREAS001', 'treasurer@example.com'))).toBe(true);
    expect(canSeeMetric(config, cash, rep, 'C0CASH0001')).toBe(true);
    expect(canSeeMetric(config, cash, rep, 'C111')).toBe(false);
    expect(canSeeMetric(config, cash, rep)).toBe(false);
    expect(canSeeMetric(config, open, rep, 'C111')).toBe(true);
  });

  it('are shared only into listed channels, whoever asks', () => {
    expect(canShareInChannel(config, cash, 'C0CASH0001')).toBe(true);
    expect(canShareInChannel(config, cash, 'C111')).toBe(false);
    expect(canShareInChannel(config, cash, undefined)).toBe(false);
    expect(canShareInChannel(config, open, 'C111')).toBe(true);
  });
});

describe('changing an entry', () => {
  it('is for the person it counts for, whoever typed it, and admins', () => {
    const entry = { user_id: 'rep@example.com', entered_by: 'U0DANA001' };
    expect(canChangeEntry(config, entry, identityOf(config, 'W111'))).toBe(true);
    expect(canChangeEntry(config, entry, identityOf(config, 'U0DANA001'))).toBe(true);
    expect(canChangeEntry(config, entry, identityOf(config, 'U0ADMIN001'))).toBe(true);
    expect(canChangeEntry(config, entry, identityOf(config, 'U0OMAR001'))).toBe(false);
  });
});
