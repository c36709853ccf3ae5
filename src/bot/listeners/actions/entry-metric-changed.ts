import { errorMessage } from '../../../errors.js';
import type { AllMiddlewareArgs, BlockAction, SlackActionMiddlewareArgs, StaticSelectAction } from '@slack/bolt';
import { parseEntryMode, readEntryState } from '../../views/entry-modal.js';
import type { BotDeps } from '../../deps.js';
import { modalAfterMetricChange } from '../../entry-modal.js';

/**
 * The metric select dispatches an action, so the value field can take the chosen metric's bounds and number
 * kind. The update carries the view hash: if the modal changed meanwhile, Slack refuses and nothing is lost.
 */
export function entryMetricChangedAction(deps: BotDeps) {
  return async ({
    ack,
    body,
    action,
    client,
  }: SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const view = body.view;
    if (!view) return;
    // The payload's state may lag the selection that triggered it; the action itself is authoritative.
    const state = { ...readEntryState(view.state?.values), metricId: action.selected_option?.value };
    const next = modalAfterMetricChange(deps, body.user.id, state, parseEntryMode(view.private_metadata));
    try {
      await client.views.update({ view_id: view.id, hash: view.hash, view: next });
    } catch (error) {
      deps.runtime.logger.info({ err: errorMessage(error) }, 'entry modal not updated (it changed meanwhile or closed)');
    }
  };
}
