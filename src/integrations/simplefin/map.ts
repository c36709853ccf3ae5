import type { LocalDay } from '../../metrics/types.js';
import { SourceError } from '../errors.js';
import { SOURCE_ID } from './credentials.js';
import { cachedBalancesSchema, type AccountsResponse, type CachedBalances } from './schemas.js';
import type { SyncState } from '../../store/sync-state.js';

/** Pure parts of the SimpleFIN source: warnings, the cash sum in exact cents, and the daily call quota. */

const QUOTA_KEY = 'simplefin:quota';
const CACHE_KEY = 'simplefin:balances';

/** `errors` (v1) and `errlist` (v2) as warnings, naming the connection when the body says which one. */
export function bodyWarnings(body: AccountsResponse): string[] {
  const connections = new Map((body.connections ?? []).map((c) => [c.conn_id, c.name ?? c.org_name ?? c.conn_id]));
  const fromV1 = (body.errors ?? []).map((text) => `SimpleFIN: ${text}`);
  const fromV2 = (body.errlist ?? []).map((item) => {
    const where = item.conn_id
      ? `${connections.get(item.conn_id) ?? item.conn_id}: `
      : item.account_id
        ? `account ${item.account_id}: `
        : '';
    return `SimpleFIN ${where}${item.msg ?? item.message ?? 'error'} (${item.code})`;
  });
  return [...fromV1, ...fromV2];
}

export function toCache(body: AccountsResponse, fetchedAt: Date): CachedBalances {
  return {
    fetchedAt: fetchedAt.toISOString(),
    accounts: body.accounts.map((a) => ({
      id: a.id,
      name: a.name || a.id,
      currency: a.currency,
      balance: a.balance,
      balanceDate: a['balance-date'],
    })),
    warnings: bodyWarnings(body),
  };
}

/** A decimal string as integer cents, rounded half away from zero; sums in cents never drift. */
export function toCents(decimal: string): number {
  const match = /^([-+]?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) throw new SourceError('bad_response', SOURCE_ID, 'a balance is not a decimal number');
  const [, sign, whole, fraction = ''] = match;
  const digits = fraction.padEnd(3, '0');
  const cents = Number(whole) * 100 + Number(digits.slice(0, 2)) + (Number(digits[2]) >= 5 ? 1 : 0);
  return sign === '-' ? -cents : cents;
}

export interface CashSelection {
  /** Account ids to sum; undefined = every non-negative account in `currency`. */
  accounts?: readonly string[];
  currency: string;
  staleBalanceHours: number;
  now: Date;
}

export interface Cash {
  value: number;
  warnings: string[];
  /** The oldest summed balance's date, when one is past `staleBalanceHours`: the figure is as old as its oldest part. */
  asOf?: string;
  /** Set with `asOf`: which balances are past the limit and how old they are, for the figure's stale reason. */
  staleBecause?: string;
}

/** "26 h" up to two days, then "3 days". */
function ageText(hours: number): string {
  return hours < 48 ? `${Math.floor(hours)} h` : `${Math.floor(hours / 24).toLocaleString('en-US')} days`;
}

/**
 * Sums the selected balances. Throws (so the last good value stays) when nothing could be summed:
 * an empty sum would read as "cash is zero".
 */
export function cashPosition(snapshot: CachedBalances, selection: CashSelection): Cash {
  const warnings = [...snapshot.warnings];
  const byId = new Map(snapshot.accounts.map((a) => [a.id, a]));
  const chosen = selection.accounts
    ? selection.accounts.flatMap((id) => {
        const account = byId.get(id);
        if (!account) warnings.push(`account ${id} was not returned by SimpleFIN; left out of the sum`);
        return account ? [account] : [];
      })
    : snapshot.accounts;
  if (!selection.accounts) {
    warnings.push(`summed all non-negative ${selection.currency} accounts; set sources.simplefin.accounts`);
  }

  let cents = 0;
  let used = 0;
  let oldestStale: number | undefined;
  const staleParts: string[] = [];
  const nowSeconds = selection.now.getTime() / 1000;
  const staleBefore = nowSeconds - selection.staleBalanceHours * 3600;
  for (const account of chosen) {
    if (account.currency.toUpperCase() !== selection.currency.toUpperCase()) {
      warnings.push(`skipped ${account.name} (${account.currency}, not ${selection.currency})`);
      continue;
    }
    const balance = toCents(account.balance);
    // Credit cards and loans come back negative; only an explicit allow-list may include them.
    if (!selection.accounts && balance < 0) continue;
    cents += balance;
    used++;
    if (account.balanceDate !== undefined && account.balanceDate < staleBefore) {
      const age = ageText((nowSeconds - account.balanceDate) / 3600);
      const dated = new Date(account.balanceDate * 1000).toISOString().slice(0, 10);
      warnings.push(`${account.name} balance is ${age} old (dated ${dated}); stale after ${selection.staleBalanceHours} h`);
      staleParts.push(`${account.name} balance ${age} old`);
      oldestStale = Math.min(oldestStale ?? account.balanceDate, account.balanceDate);
    }
  }
  if (used === 0) {
    const reason = snapshot.warnings.length > 0 ? snapshot.warnings.join('; ') : `no ${selection.currency} account matched`;
    throw new SourceError(snapshot.warnings.length > 0 ? 'unavailable' : 'config', SOURCE_ID, `no balance to sum: ${reason}`);
  }
  const cash: Cash = { value: cents / 100, warnings };
  if (oldestStale !== undefined) {
    cash.asOf = new Date(oldestStale * 1000).toISOString();
    cash.staleBecause = `${staleParts.join(', ')}; SimpleFIN balances are stale after ${selection.staleBalanceHours} h`;
  }
  return cash;
}

/** Calls made today (org-local day) against `max_calls_per_day`. */
export async function callsToday(state: SyncState, today: LocalDay): Promise<number> {
  const raw = await state.get(QUOTA_KEY);
  if (!raw) return 0;
  try {
    const parsed = JSON.parse(raw) as { day?: unknown; calls?: unknown };
    return parsed.day === today && typeof parsed.calls === 'number' ? parsed.calls : 0;
  } catch {
    return 0;
  }
}

export async function addCalls(state: SyncState, today: LocalDay, calls: number): Promise<void> {
  if (calls <= 0) return;
  const used = await callsToday(state, today);
  await state.set(QUOTA_KEY, JSON.stringify({ day: today, calls: used + calls }));
}

export async function readCache(state: SyncState): Promise<CachedBalances | undefined> {
  const raw = await state.get(CACHE_KEY);
  if (!raw) return undefined;
  try {
    const parsed = cachedBalancesSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function writeCache(state: SyncState, cache: CachedBalances): Promise<void> {
  await state.set(CACHE_KEY, JSON.stringify(cache));
}
