import type { HomeView } from '@slack/types';
import type { BotDeps } from '../deps.js';
import { buildHomeModel } from '../home.js';
import { renderHomeView } from '../views/home.js';

/** One Home tab to draw: whose, at the listener's "now", with what the main thread learnt from users.info. */
export interface HomeRequest {
  userId: string;
  nowIso: string;
  /** The user's email if learnt from users.info (owners and admins may be given as emails). */
  email?: string;
  /** A one-off line at the top, e.g. why a delete was refused. */
  notice?: string;
}

/**
 * The view `views.publish` sends: the store reads (recent entries, a week of every metric the user owns, source
 * health) and the blocks. The heavy part of a Home visit: it runs on the Home thread, never where acks or `/metric`
 * answers wait.
 */
export async function renderHomeFor(deps: BotDeps, request: HomeRequest): Promise<HomeView> {
  const model = await buildHomeModel(deps, request.userId);
  return renderHomeView(request.notice ? { ...model, notice: request.notice } : model);
}
