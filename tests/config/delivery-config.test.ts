import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BASE_CONFIG, loadError, makeTempDir, type TempDir } from './helpers.js';

/** The `email:` and `sheets:` blocks are strict and explain their mistakes like the rest of scorecard.yml. */

let temp: TempDir;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.remove());

describe('email and sheets config', () => {
  it('names a recipient that is not an email address, and a misspelt key', () => {
    const error = loadError(temp, `${BASE_CONFIG}\nemail:\n  weekly: [ceo@example.com, not-an-address]\n  sensitve_recipients: []\n`);
    expect(error.message).toContain(
      'email.weekly[1] (line 34:29): expected an email address like ops@example.com — found "not-an-address"',
    );
    expect(error.message).toContain('an email address like ops@example.com');
    expect(error.message).toContain('unknown key "sensitve_recipients" — did you mean "sensitive_recipients"?');
  });

  it('checks the sheets block', () => {
    const error = loadError(temp, `${BASE_CONFIG}\nsheets:\n  include_sensitive: "yes"\n  window_days: 2\n`);
    expect(error.message).toContain('sheets.include_sensitive');
    expect(error.message).toContain('sheets.window_days');
  });
});
