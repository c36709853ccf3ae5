import type { BackupEntry, BcdrAsset, RmmDevice } from './schemas.js';

/**
 * Pure rules for the two Datto stocks. Records are folded into counts as they arrive (one device's assets, one
 * page of RMM devices), so a large fleet is never held in memory.
 */

const HOUR_MS = 3_600_000;

/** Paused and archived assets are deliberately not being backed up; everything else is expected to be. */
export function isProtected(asset: BcdrAsset): boolean {
  return asset.isPaused !== true && asset.isArchived !== true;
}

/**
 * Datto reports a successful backup as `success`; the failure spellings are not documented publicly, so
 * anything naming a failure or an error counts and other states (queued, in progress, …) do not.
 */
export function isFailureStatus(status: string | null | undefined): boolean {
  return typeof status === 'string' && /fail|error/i.test(status);
}

/** The newest entry of `backups` by timestamp (the API lists newest first; entries without a usable time lose). */
export function latestBackup(backups: readonly BackupEntry[] | null | undefined): BackupEntry | undefined {
  let latest: BackupEntry | undefined;
  let latestAt = -Infinity;
  for (const entry of backups ?? []) {
    const at = entry.timestamp ? Date.parse(entry.timestamp) : NaN;
    const time = Number.isNaN(at) ? -Infinity : at;
    if (latest === undefined || time > latestAt) {
      latest = entry;
      latestAt = time;
    }
  }
  return latest;
}

/**
 * A protected asset whose last snapshot is more than `olderThanHours` before `now` (or that never had one), or
 * whose latest backup failed. Exactly `olderThanHours` old is not yet overdue.
 */
export function isBackupFailing(asset: BcdrAsset, now: Date, olderThanHours: number): boolean {
  if (!isProtected(asset)) return false;
  if (asset.lastSnapshot === undefined) return true;
  if (now.getTime() - asset.lastSnapshot * 1000 > olderThanHours * HOUR_MS) return true;
  return isFailureStatus(latestBackup(asset.backups)?.backup?.status);
}

/** Patching has stalled on the device whatever the number of waiting patches. */
export const STALLED_PATCH_STATUSES: ReadonlySet<string> = new Set(['InstallError', 'RebootRequired']);

/**
 * A live device with stalled patching, or with more than `moreThan` approved patches waiting. `ApprovedPending`
 * only says at least one is waiting, so without a count it decides alone only when the threshold is 0.
 */
export function isMissingPatches(device: RmmDevice, moreThan: number): boolean {
  if (device.deleted === true) return false;
  const patches = device.patchManagement;
  if (!patches) return false;
  if (patches.patchStatus && STALLED_PATCH_STATUSES.has(patches.patchStatus)) return true;
  const pending = patches.patchesApprovedPending;
  if (typeof pending === 'number') return pending > moreThan;
  return moreThan === 0 && patches.patchStatus === 'ApprovedPending';
}

/** Running counts per threshold, so metrics with different thresholds share one pass over the records. */
export class ThresholdCounts {
  private readonly counts = new Map<number, number>();

  constructor(thresholds: Iterable<number>) {
    for (const threshold of thresholds) this.counts.set(threshold, 0);
  }

  add<T>(records: Iterable<T>, matches: (record: T, threshold: number) => boolean): void {
    for (const record of records) {
      for (const [threshold, count] of this.counts) if (matches(record, threshold)) this.counts.set(threshold, count + 1);
    }
  }

  get(threshold: number): number {
    return this.counts.get(threshold) ?? 0;
  }
}
