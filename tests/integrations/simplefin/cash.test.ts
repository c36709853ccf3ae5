import { describe, expect, it } from 'vitest';
import { bodyWarnings, cashPosition, toCents } from '../../../src/integrations/simplefin/map.js';
import { credentialsFromEnv } from '../../../src/integrations/simplefin/credentials.js';
import { accountsResponseSchema, simplefinSettingsSchema } from '../../../src/integrations/simplefin/schemas.js';
import type { CachedBalances } from '../../../src/integrations/simplefin/schemas.js';
import { fixture } from './helpers.js';

const NOW = new Date('2026-11-16T14:00:00Z');
const fresh = NOW.getTime() / 1000 - 3600;

function snapshot(accounts: [string, string, string][], warnings: string[] = []): CachedBalances {
  return {
    fetchedAt: NOW.toISOString(),
    accounts: accounts.map(([id, currency, balance]) => ({ id, name: id, currency, balance, balanceDate: fresh })),
    warnings,
  };
}

describe('toCents', () => {
  it('parses decimal strings exactly, rounding half away from zero', () => {
    expect(toCents('100.23')).toBe(10023);
    expect(toCents('0.1')).toBe(10);
    expect(toCents('-4200')).toBe(-420000);
    expect(toCents('2.005')).toBe(201);
    expect(toCents('-2.005')).toBe(-201);
    expect(toCents('+7.499')).toBe(750);
  });

  it('sums without floating drift', () => {
    const cash = cashPosition(
      snapshot([
        ['a', 'USD', '0.1'],
        ['b', 'USD', '0.2'],
      ]),
      { accounts: ['a', 'b'], currency: 'USD', staleBalanceHours: 72, now: NOW },
    );
    expect(cash.value).toBe(0.3);
  });
});

describe('cashPosition', () => {
  it('fails rather than writing zero when no account can be summed', () => {
    expect(() =>
      cashPosition(snapshot([['e', 'EUR', '5']]), { accounts: ['e'], currency: 'USD', staleBalanceHours: 72, now: NOW }),
    ).toThrow('simplefin: config: no balance to sum: no USD account matched');
    expect(() =>
      cashPosition(snapshot([], ['SimpleFIN My Bank: Authentication required (con.auth)']), {
        currency: 'USD',
        staleBalanceHours: 72,
        now: NOW,
      }),
    ).toThrow('simplefin: unavailable: no balance to sum: SimpleFIN My Bank: Authentication required (con.auth)');
  });

  it('compares currencies case-insensitively and flags stale balances', () => {
    const old = snapshot([['a', 'usd', '5.00']]);
    old.accounts[0]!.balanceDate = NOW.getTime() / 1000 - 4 * 86_400;
    expect(cashPosition(old, { accounts: ['a'], currency: 'USD', staleBalanceHours: 72, now: NOW })).toEqual({
      value: 5,
      warnings: ['a balance is 4 days old (dated 2026-11-12); stale after 72 h'],
      asOf: new Date(NOW.getTime() - 4 * 86_400_000).toISOString(),
      staleBecause: 'a balance 4 days old; SimpleFIN balances are stale after 72 h',
    });
  });

  it('marks cash stale from a 26-hour-old balance on a configured account under the default one-day limit', () => {
    const limit = simplefinSettingsSchema.parse({}).stale_balance_hours;
    expect(limit).toBe(24);
    const mixed = snapshot([
      ['checking', 'USD', '1000.00'],
      ['savings', 'USD', '250.50'],
    ]);
    mixed.accounts[0]!.balanceDate = NOW.getTime() / 1000 - 2 * 3600;
    mixed.accounts[1]!.balanceDate = NOW.getTime() / 1000 - 26 * 3600;
    expect(cashPosition(mixed, { accounts: ['checking', 'savings'], currency: 'USD', staleBalanceHours: limit, now: NOW })).toEqual({
      value: 1250.5,
      warnings: ['savings balance is 26 h old (dated 2026-11-15); stale after 24 h'],
      asOf: new Date(NOW.getTime() - 26 * 3_600_000).toISOString(),
      staleBecause: 'savings balance 26 h old; SimpleFIN balances are stale after 24 h',
    });
    // 23 hours is within the day: no warning, no "as of" of its own.
    mixed.accounts[1]!.balanceDate = NOW.getTime() / 1000 - 23 * 3600;
    expect(cashPosition(mixed, { accounts: ['checking', 'savings'], currency: 'USD', staleBalanceHours: limit, now: NOW })).toEqual({
      value: 1250.5,
      warnings: [],
    });
  });
});

describe('bodies', () => {
  it('accepts the v1 and v2 protocol samples', () => {
    for (const name of ['get-accounts.v1.json', 'get-accounts.v2.json', 'get-accounts.v2.with-errlist.json']) {
      expect(accountsResponseSchema.safeParse(fixture(name)).success).toBe(true);
    }
  });

  it('accepts msg as well as message in errlist, and an account-level error', () => {
    const body = accountsResponseSchema.parse({
      errlist: [{ code: 'act.failed', msg: 'Could not refresh', account_id: 'A-1' }],
      accounts: [],
    });
    expect(bodyWarnings(body)).toEqual(['SimpleFIN account A-1: Could not refresh (act.failed)']);
  });
});

describe('credentialsFromEnv', () => {
  it('splits user:pass out of the access URL', () => {
    const creds = credentialsFromEnv({ SIMPLEFIN_ACCESS_URL: 'https://us%40er:p%3Ass@bridge.example/simplefin/' });
    expect(creds).toMatchObject({ baseUrl: 'https://bridge.example/simplefin', username: 'us@er', password: 'p:ss' });
  });

  it('refuses an access URL without credentials', () => {
    expect(() => credentialsFromEnv({ SIMPLEFIN_ACCESS_URL: 'https://bridge.example/simplefin' })).toThrow('has no user:pass');
  });
});
