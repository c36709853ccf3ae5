import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The official schema lives beside the repo (../shared in CI); it is loaded, never copied in.
const schemaDir = new URL('../../../shared/specs/slack/manifest-schema/', import.meta.url);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const srcDir = join(repoRoot, 'src');
const botDir = join(srcDir, 'bot');

// The root schema $refs the versioned schemas by these published URLs.
const VERSIONED_SCHEMA_URL = 'https://raw.githubusercontent.com/slackapi/manifest-schema/v0.5.0/schemas/';

/** Which Web API methods (or, for `commands`, which listener ids) justify each bot scope. */
const SCOPE_EVIDENCE: Record<string, string[]> = {
  commands: ['/metric', '/scorecard', '/log', 'log_activity'],
  'chat:write': ['chat.postMessage', 'chat.update', 'chat.postEphemeral', 'chat.delete'],
  'im:write': ['conversations.open'],
  'users:read': ['users.info', 'users.lookupByEmail'],
  'users:read.email': ['users.lookupByEmail'],
  'channels:history': ['conversations.history'],
  'groups:history': ['conversations.history'],
};

interface Manifest {
  features: {
    slash_commands: { command: string }[];
    shortcuts: { callback_id: string }[];
  };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] } };
}

function readJson(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(name, schemaDir), 'utf8')) as Record<string, unknown>;
}

function manifestValidator() {
  // strictTypes off: the official schema omits `type: object` beside `properties` in places.
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  // Annotation-only keywords in the official schema (no validation meaning).
  ajv.addVocabulary(['_note', 'requires']);
  // The schema uses a non-standard `regex` keyword (background_color); enforce it rather than ignore it.
  ajv.addKeyword({
    keyword: 'regex',
    type: 'string',
    schemaType: 'string',
    validate: (pattern: string, data: string) => new RegExp(pattern).test(data),
  });
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  for (const version of ['1.0.0', '2.0.0']) {
    ajv.addSchema(readJson(`schemas/manifest.schema.${version}.json`), `${VERSIONED_SCHEMA_URL}manifest.schema.${version}.json`);
  }
  return ajv.compile(readJson('manifest.schema.json'));
}

function loadManifestDocument(): Record<string, unknown> {
  return parse(readFileSync(join(repoRoot, 'manifest.yml'), 'utf8')) as Record<string, unknown>;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => join(dir, file));
}

describe('manifest.yml', () => {
  const validate = manifestValidator();
  const document = loadManifestDocument();
  const manifest = document as unknown as Manifest;

  it('validates against the official Slack manifest schema with zero errors', () => {
    validate(document);
    expect(validate.errors ?? []).toEqual([]);
  });

  it('is checked by a validator that does reject broken manifests', () => {
    const broken = structuredClone(document) as {
      features: { shortcuts: { name: string }[] };
      display_information: Record<string, unknown>;
    };
    broken.features.shortcuts[0]!.name = 'A shortcut name far longer than 24';
    broken.display_information.background_color = 'navy';
    expect(validate(broken)).toBe(false);
    const paths = (validate.errors ?? []).map((error) => error.instancePath);
    expect(paths).toContain('/features/shortcuts/0/name');
    expect(paths).toContain('/display_information/background_color');
  });

  it('declares the commands, shortcut and event the bot handles', () => {
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(['/metric', '/scorecard', '/log']);
    expect(manifest.features.shortcuts.map((s) => s.callback_id)).toEqual(['log_activity']);
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(['app_home_opened']);
  });

  it('requests exactly the scopes the evidence table justifies', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(Object.keys(SCOPE_EVIDENCE).sort());
  });
});

// Gated on the bot's code existing (src/bot holds only empty folders until the bot engineer writes it).
const botSourcePresent = existsSync(botDir) && sourceFiles(botDir).length > 0;

describe.runIf(botSourcePresent)('manifest scopes are used by src/', () => {
  const source = botSourcePresent
    ? sourceFiles(srcDir)
        .map((file) => readFileSync(file, 'utf8'))
        .join('\n')
    : '';
  const manifest = loadManifestDocument() as unknown as Manifest;

  it.each(Object.entries(SCOPE_EVIDENCE))('%s is used (one of %j appears in src/)', (_scope, evidence) => {
    expect(evidence.filter((needle) => source.includes(needle))).not.toEqual([]);
  });

  it('handles every declared slash command, shortcut and event', () => {
    const declared = [
      ...manifest.features.slash_commands.map((c) => c.command),
      ...manifest.features.shortcuts.map((s) => s.callback_id),
      ...manifest.settings.event_subscriptions.bot_events,
    ];
    expect(declared.filter((id) => !source.includes(`'${id}'`))).toEqual([]);
  });
});
