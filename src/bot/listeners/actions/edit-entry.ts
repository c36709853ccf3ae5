import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { decodeEditRef } from '../../views/home.js';
import type { BotDeps } from '../../deps.js';
import { editModalFor, openEntryModal } from '../../entry-modal.js';

/**
 * *Edit* on an App Home entry: the button carries the entry, so the pre-filled modal opens without a store read;
 * the submission checks the entry is still live and writes a superseding version.
 */
export function editEntryAction(deps: BotDeps) {
  return async ({ ack, body, action, client }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const ref = decodeEditRef(action.value);
    if (!ref) {
      deps.runtime.logger.warn({ action: action.action_id }, 'edit button with an unreadable value');
      return;
    }
    await openEntryModal(client, body.trigger_id, editModalFor(deps, body.user.id, ref), deps.runtime.logger);
  };
}
