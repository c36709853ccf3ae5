import type { AllMiddlewareArgs, App, BlockAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { EXPLAIN_PICK_ACTION, PICK_METRIC_ACTION_PREFIX, SHARE_METRIC_ACTION } from '../../../slack/metric.js';
import { WEEKLY_ACTIONS } from '../../../slack/weekly.js';
import { ENTRY_ACTION, UNDO_ENTRY_ACTION } from '../../views/entry-modal.js';
import { DELETE_ENTRY_ACTION_PREFIX, EDIT_ENTRY_ACTION_PREFIX, LOG_ACTIVITY_ACTION } from '../../views/home.js';
import type { BotDeps } from '../../deps.js';
import { deleteEntryAction } from './delete-entry.js';
import { editEntryAction } from './edit-entry.js';
import { entryMetricChangedAction } from './entry-metric-changed.js';
import { explainMetricAction, explainPickAction } from './explain-metric.js';
import { logActivityAction } from './log-activity.js';
import { logNowAction } from './log-now.js';
import { pickMetricAction } from './pick-metric.js';
import { shareMetricAction } from './share-metric.js';
import { undoEntryAction } from './undo-entry.js';
import { openInBrowserAction } from './open-in-browser.js';
import { OPEN_IN_BROWSER_ACTION } from '../../../slack/web-link.js';

type BlockActionArgs = SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs;
// Each listener narrows the action type it handles (button, select); the route's id is what guarantees it.
type ActionListener = (args: never) => Promise<void>;

const exactly = (id: string) => (actionId: string) => actionId === id;
const startingWith = (prefix: string) => (actionId: string) => actionId.startsWith(prefix);

/** Which listener answers which action_id, first match wins. */
function actionRoutes(deps: BotDeps): [matches: (actionId: string) => boolean, listener: ActionListener][] {
  return [
    [exactly(SHARE_METRIC_ACTION), shareMetricAction(deps)],
    [startingWith(PICK_METRIC_ACTION_PREFIX), pickMetricAction(deps)],
    // The weekly digest's and the Home tab's *Log activity* button share the shortcut's id: 'log_activity'.
    [exactly(LOG_ACTIVITY_ACTION), logActivityAction(deps)],
    [exactly(WEEKLY_ACTIONS.explainMetric), explainMetricAction(deps)],
    [exactly(EXPLAIN_PICK_ACTION), explainPickAction(deps)],
    // Nudges name their buttons `log_now:<metric>` (unique within the DM); the value carries metric and week.
    [(id) => id === 'log_now' || id.startsWith('log_now:'), logNowAction(deps)],
    [exactly(ENTRY_ACTION.metric), entryMetricChangedAction(deps)],
    [exactly(UNDO_ENTRY_ACTION), undoEntryAction(deps)],
    [startingWith(EDIT_ENTRY_ACTION_PREFIX), editEntryAction(deps)],
    [startingWith(DELETE_ENTRY_ACTION_PREFIX), deleteEntryAction(deps)],
    [exactly(OPEN_IN_BROWSER_ACTION), openInBrowserAction(deps)],
  ];
}

/**
 * One Bolt listener for every block action, routing by action_id. Bolt runs the matchers of every registered
 * listener on every request, so one entry point instead of ten keeps each ack's cost down. An action nobody
 * handles (a button on an old message) is acked and ignored.
 */
export function registerActions(app: App, deps: BotDeps): void {
  const routes = actionRoutes(deps);
  app.action({ type: 'block_actions' }, async (args) => {
    const blockArgs = args as BlockActionArgs;
    const route = routes.find(([matches]) => matches(blockArgs.action.action_id));
    if (!route) {
      await blockArgs.ack();
      deps.runtime.logger.debug({ action: blockArgs.action.action_id }, 'block action with no listener');
      return;
    }
    await route[1](blockArgs as never);
  });
}
