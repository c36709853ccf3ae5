import type { App } from '@slack/bolt';
import { ENTRY_CALLBACK_ID } from '../../views/entry-modal.js';
import type { BotDeps } from '../../deps.js';
import { logEntrySubmission } from './log-entry.js';

export function registerViews(app: App, deps: BotDeps): void {
  app.view(ENTRY_CALLBACK_ID, logEntrySubmission(deps));
}
