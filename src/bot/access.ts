/** Who may do what now lives in `report/access.ts`, shared by Slack and the web pages; re-exported for the listeners. */
export * from '../report/access.js';
