import type { Config, Metric } from '../config/schema.js';
import { canSeeMetric, identityOf, isAdmin, type Identity } from '../report/access.js';
import { metricById } from '../metrics/catalog.js';

/**
 * The signed-in person as the pages see them: the same identity, admin and sensitive-access rules as Slack (a web
 * request has no channel, so only `slack.sensitive_access.users` opens a sensitive metric).
 */
export interface Viewer {
  who: Identity;
  admin: boolean;
  csrf: string;
  canSee(metric: Pick<Metric, 'sensitive'>): boolean;
  canSeeId(metricId: string): boolean;
}

export function viewerOf(config: Config, userId: string, csrf: string): Viewer {
  const who = identityOf(config, userId);
  const canSee = (metric: Pick<Metric, 'sensitive'>) => canSeeMetric(config, metric, who);
  return {
    who,
    admin: isAdmin(config, who),
    csrf,
    canSee,
    canSeeId: (id) => {
      const metric = metricById(config, id);
      return metric !== undefined && canSee(metric);
    },
  };
}
