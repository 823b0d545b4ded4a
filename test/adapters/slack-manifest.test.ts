import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../commands/index.js';
import { slashCommandText, slackUsage, slackUsageHint } from '../../src/adapters/slack/commands.js';
import type { slackManifest } from '../../src/adapters/slack/manifest.js';
import { toDeliveryError } from '../../src/adapters/slack/sender.js';
import { DeliveryError } from '../../src/delivery/sender.js';
import { printSlackManifest, SlackManifestUsageError } from '../../src/modes/slack-manifest.js';
import { webApi } from '@slack/bolt';

type Manifest = ReturnType<typeof slackManifest> & { features: { slash_commands: Array<{ url?: string }> } };

function manifest(opts: { json: boolean; requestUrl?: string }): Manifest {
  let text = '';
  expect(printSlackManifest(opts, (t) => (text += t))).toBe(0);
  return (opts.json ? JSON.parse(text) : parse(text)) as Manifest;
}

describe('newshound slack-manifest', () => {
  it('prints a Socket Mode manifest with /news, its usage hint, the scopes and interactivity', () => {
    const m = manifest({ json: false });
    expect(m.features.slash_commands).toEqual([
      expect.objectContaining({ command: '/news', usage_hint: slackUsageHint(COMMANDS), should_escape: false }),
    ]);
    expect(m.features.slash_commands[0]!.url).toBeUndefined();
    expect(m.oauth_config.scopes.bot).toEqual(['commands', 'chat:write', 'chat:write.public', 'users:read', 'channels:history', 'groups:history']);
    expect(m.settings).toMatchObject({ socket_mode_enabled: true, interactivity: { is_enabled: true }, event_subscriptions: { bot_events: ['app_uninstalled', 'tokens_revoked'] } });
    expect(manifest({ json: true })).toEqual(m);
  });

  it('points every request URL at /slack/events in HTTP mode, and refuses a non-https URL', () => {
    const m = manifest({ json: true, requestUrl: 'https://news.example.com/' });
    const events = 'https://news.example.com/slack/events';
    expect(m.features.slash_commands[0]!.url).toBe(events);
    expect(m.settings).toMatchObject({ socket_mode_enabled: false, interactivity: { is_enabled: true, request_url: events }, event_subscriptions: { request_url: events } });
    expect(() => printSlackManifest({ json: true, requestUrl: 'http://news.example.com' }, () => undefined)).toThrow(SlackManifestUsageError);
  });

  it('writes usage lines and the hint from the command definitions', () => {
    const byPath = (...path: string[]) => COMMANDS.find((c) => c.path.join(' ') === path.join(' '))!;
    expect(slackUsage(byPath('subscribe'))).toBe('/news subscribe <query>[, <query> ...]');
    expect(slackUsage(byPath())).toBe('/news <query>');
    expect(slackUsage(byPath('help'))).toBe('/news help');
    expect(slackUsageHint(COMMANDS)).toContain('feeds list|add|remove');
    expect(slashCommandText('subscribe at&amp;t -&lt;x&gt;')).toBe('subscribe at&t -<x>');
  });
});

const main = join(import.meta.dirname, '../../dist/src/main.js');

// `npm test` builds before running vitest; running this file alone needs `npm run build` first.
describe.runIf(existsSync(main))('the slack-manifest command line', () => {
  it('prints YAML by default and exits 2 on a bad --request-url', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [main, 'slack-manifest', ...args], { env: { PATH: process.env.PATH }, timeout: 20_000 });
    const ok = run();
    expect(ok.status).toBe(0);
    expect(parse(ok.stdout.toString())).toMatchObject({ settings: { socket_mode_enabled: true } });
    const bad = run('--request-url', 'ftp://x');
    expect(bad.status).toBe(2);
    expect(bad.stderr.toString()).toContain('--request-url must use https');
  });
});

describe('Slack delivery errors', () => {
  const platform = (error: string) => new webApi.WebAPIPlatformError({ ok: false, error });
  it.each([
    ['channel_not_found', 'destination-gone'],
    ['not_in_channel', 'destination-gone'],
    ['is_archived', 'destination-gone'],
    ['restricted_action', 'destination-gone'],
    ['account_inactive', 'platform-auth'],
    ['token_revoked', 'platform-auth'],
    ['invalid_auth', 'platform-auth'],
    ['not_authed', 'platform-auth'],
    ['invalid_blocks', 'rejected'],
    ['msg_too_long', 'rejected'],
    ['msg_blocks_too_long', 'rejected'],
  ])('maps %s to %s', (error, kind) => {
    const mapped = toDeliveryError(platform(error));
    expect(mapped).toBeInstanceOf(DeliveryError);
    expect((mapped as DeliveryError).kind).toBe(kind);
  });

  it('turns a 429 into a rate limit of Retry-After seconds and leaves other failures transient', () => {
    const limited = toDeliveryError(new webApi.WebAPIRateLimitedError(3)) as DeliveryError;
    expect(limited).toMatchObject({ kind: 'rate-limited', opts: { retryAfterMs: 3000 } });
    expect(toDeliveryError(platform('internal_error'))).not.toBeInstanceOf(DeliveryError);
  });
});
