import type { AllMiddlewareArgs, GlobalShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { entryModalFor, openEntryModal } from '../../entry-modal.js';

/** The ⚡ *Log activity* shortcut: the entry modal, from anywhere in Slack. */
export function logActivityShortcut(deps: BotDeps) {
  return async ({ ack, shortcut, client }: SlackShortcutMiddlewareArgs<GlobalShortcut> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await openEntryModal(client, shortcut.trigger_id, entryModalFor(deps, shortcut.user.id), deps.runtime.logger);
  };
}
