import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv, type Env } from '../../src/config/index.js';

function envError(env: Env): ConfigError {
  try {
    loadEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected loadEnv to throw a ConfigError');
}

describe('loadEnv', () => {
  it('fills defaults for an empty environment', () => {
    expect(loadEnv({})).toEqual({ DATABASE_URL: 'sqlite:./data/scorecard.db', PORT: 3000, LOG_LEVEL: 'info' });
  });

  it('treats VAR= (empty) as unset', () => {
    expect(loadEnv({ PORT: '', SLACK_BOT_TOKEN: '  ', DATABASE_URL: '' })).toEqual({
      DATABASE_URL: 'sqlite:./data/scorecard.db',
      PORT: 3000,
      LOG_LEVEL: 'info',
    });
  });

  it('parses a full valid environment', () => {
    const env = loadEnv({
      SCORECARD_CONFIG: './my.yml',
      DATABASE_URL: 'sqlite::memory:',
      SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
      SLACK_SIGNING_SECRET: 'abc123',
      SLACK_APP_TOKEN: 'xapp-1-A-1-abc',
      SLACK_API_URL: 'http://127.0.0.1:4010/api/',
      PORT: '8080',
      LOG_LEVEL: 'debug',
      SCORECARD_NOW: '2026-11-16T08:00:00-06:00',
      HUBSPOT_ACCESS_TOKEN: 'ignored here: sources read their own credentials',
    });
    expect(env.PORT).toBe(8080);
    expect(env.LOG_LEVEL).toBe('debug');
    expect(env.SCORECARD_NOW?.toISOString()).toBe('2026-11-16T14:00:00.000Z');
    expect(env).not.toHaveProperty('HUBSPOT_ACCESS_TOKEN');
  });

  it('rejects a DATABASE_URL scheme without echoing the URL (it may hold a password)', () => {
    const error = envError({ DATABASE_URL: 'mysql://scorecard:hunter2-db-pass@db.internal/scorecard' });
    expect(error.message).toBe(
      [
        'environment has 1 problem:',
        '  DATABASE_URL: expected a URL starting with sqlite: or postgres: or postgresql: and a file path or host, e.g. sqlite:./data/scorecard.db — found a URL with scheme "mysql:" (rest not shown)',
        '    fix: use sqlite:./data/scorecard.db, or unset it for that default',
      ].join('\n'),
    );
    expect(error.message).not.toContain('hunter2');
  });

  it('accepts the SQLite URL forms the store opens, and rejects sqlite: without a path', () => {
    for (const url of ['sqlite:./data/x.db', 'sqlite:///var/lib/scorecard.db', 'sqlite::memory:', 'postgres://u@db:5432/scorecard']) {
      expect(loadEnv({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    }
    expect(envError({ DATABASE_URL: 'sqlite:' }).message).toContain('found a URL with scheme "sqlite:" (rest not shown)');
  });

  it('rejects a PORT that is not a port number', () => {
    expect(envError({ PORT: 'eighty' }).message).toContain('PORT: expected a port number — found "eighty"');
    expect(envError({ PORT: '70000' }).message).toContain('PORT: expected a port between 1 and 65535 — found "70000"');
    expect(envError({ PORT: '80.5' }).message).toContain('PORT: expected a whole port number — found "80.5"');
  });

  it('says a bot token lacks xoxb- without ever printing the token', () => {
    const token = 'xoxp-123456789012-secret-user-token';
    const error = envError({ SLACK_BOT_TOKEN: token });
    expect(error.message).toContain(
      `SLACK_BOT_TOKEN: expected a bot token starting with xoxb- — found a value that does not start with xoxb- (${token.length} characters, not shown)`,
    );
    expect(error.message).not.toContain(token);
    expect(error.message).not.toContain('secret-user-token');
    expect(JSON.stringify(error.problems)).not.toContain(token);
  });

  it('notices the two Slack tokens swapped, still without printing them', () => {
    const bot = 'xoxb-1-2-swapped-bot';
    const app = 'xapp-1-A-swapped-app';
    const error = envError({ SLACK_BOT_TOKEN: app, SLACK_APP_TOKEN: bot });
    expect(error.problems.map((problem) => problem.path)).toEqual(['SLACK_BOT_TOKEN', 'SLACK_APP_TOKEN']);
    expect(error.message).toContain('fix: that is the app-level token: put it in SLACK_APP_TOKEN');
    expect(error.message).toContain('fix: that is the bot token: put it in SLACK_BOT_TOKEN');
    expect(error.message).not.toContain('swapped');
  });

  it('lists every problem at once', () => {
    const error = envError({ LOG_LEVEL: 'verbose', SCORECARD_NOW: '2026-11-16', SLACK_API_URL: 'ftp://slack.example' });
    expect(error.message).toContain('environment has 3 problems:');
    expect(error.message).toContain('LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent — found "verbose"');
    expect(error.message).toContain('SCORECARD_NOW: expected an ISO instant like 2026-11-16T08:00:00Z — found "2026-11-16"');
    expect(error.message).toContain('SLACK_API_URL: expected an http(s) URL like https://slack.com/api/ — found a value that is not valid');
  });
});
