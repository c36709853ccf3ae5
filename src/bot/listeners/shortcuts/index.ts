import type { App } from '@slack/bolt';
import type { BotDeps } from '../../deps.js';
import { logActivityShortcut } from './log-activity.js';

export function registerShortcuts(app: App, deps: BotDeps): void {
  app.shortcut({ callback_id: 'log_activity', type: 'shortcut' }, logActivityShortcut(deps));
}
