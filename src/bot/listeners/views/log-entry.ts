import { errorMessage } from '../../../errors.js';
import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { parseEntryMode, readEntryState, renderEntryConfirmation, ENTRY_BLOCK } from '../../views/entry-modal.js';
import type { BotDeps } from '../../deps.js';
import { submitEntry, type SubmitResult } from '../../entries.js';
import { publishHome } from '../../home.js';
import { sendDirectMessage } from '../../reply.js';

/**
 * The entry modal's submission. Checks and the write happen before the ack (local SQLite, milliseconds), so a
 * problem comes back inline on its field and "closed" means "saved"; the confirmation DM follows.
 */
export function logEntrySubmission(deps: BotDeps) {
  return async ({ ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const userId = body.user.id;
    const mode = parseEntryMode(view.private_metadata);
    const { logger } = deps.runtime;
    let result: SubmitResult;
    try {
      const inputBlockIds = new Set(view.blocks.flatMap((block) => (block.type === 'input' && block.block_id ? [block.block_id] : [])));
      result = await submitEntry(deps, { userId, viewId: view.id, mode, state: readEntryState(view.state.values), inputBlockIds });
    } catch (error) {
      logger.error({ err: errorMessage(error) }, 'saving a manual entry failed');
      await ack({
        response_action: 'errors',
        errors: { [ENTRY_BLOCK.value]: 'Not saved: the scorecard database did not answer. Please try again.' },
      });
      return;
    }
    if (!result.ok) {
      await ack({ response_action: 'errors', errors: result.errors });
      return;
    }
    await ack();
    try {
      if (mode.kind === 'edit') await publishHome(deps, client, userId);
      else if (result.created)
        await sendDirectMessage(client, userId, renderEntryConfirmation(result.entry, deps.runtime.config.defaults.undo_minutes));
    } catch (error) {
      logger.warn({ err: errorMessage(error) }, 'entry saved, but the confirmation could not be sent');
    }
  };
}
