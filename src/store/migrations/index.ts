import type { Migration } from 'kysely';
import { initial } from './0001_initial.js';
import { digestLease } from './0002_digest_lease.js';
import { web } from './0004_web.js';
import { deliveries } from './0005_deliveries.js';
import { adSpendChannels } from './0007_ad_spend_channels.js';
import { metricFailures } from './0008_metric_failures.js';
import { slackOwnerIds } from './0009_slack_owner_ids.js';
import { quarterDeals } from './0010_quarter_deals.js';

/**
 * Every migration, keyed by its name; Kysely applies them in name order and records each once.
 * Add a new one as `NNNN_<what>.ts` with the next number and list it here — never edit or rename one that has shipped.
 */
export const migrations: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_digest_lease': digestLease,
  '0004_web': web,
  '0005_deliveries': deliveries,
  '0007_ad_spend_channels': adSpendChannels,
  '0008_metric_failures': metricFailures,
  '0009_slack_owner_ids': slackOwnerIds,
  '0010_quarter_deals': quarterDeals,
};
