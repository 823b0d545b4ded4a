import { stringify } from 'yaml';
import { COMMANDS } from '../../commands/index.js';
import { slackManifest } from '../adapters/slack/manifest.js';

/** Thrown for a bad `--request-url`; the CLI prints it with the usage text. */
export class SlackManifestUsageError extends Error {}

/**
 * `newshound slack-manifest [--json] [--request-url https://host]`: prints the Slack app
 * manifest to paste into "Create New App → From an app manifest". Socket Mode by default;
 * with `--request-url`, HTTP mode with Slack sending requests to `<url>/slack/events`.
 */
export function printSlackManifest(opts: { json: boolean; requestUrl?: string }, out: (text: string) => void): number {
  if (opts.requestUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(opts.requestUrl);
    } catch {
      throw new SlackManifestUsageError('--request-url must be a URL such as https://news.example.com');
    }
    // Slack only sends requests to https URLs.
    if (url.protocol !== 'https:') throw new SlackManifestUsageError('--request-url must use https');
  }
  const manifest = slackManifest(COMMANDS, opts.requestUrl === undefined ? {} : { requestUrl: opts.requestUrl });
  // No line folding: a manifest is pasted into a web form, and long hints must stay on one line.
  out(opts.json ? `${JSON.stringify(manifest, null, 2)}\n` : stringify(manifest, { lineWidth: 0 }));
  return 0;
}
