import type { AnyCommand } from '../../chat/command.js';
import { SLACK_COMMAND, slackUsageHint } from './commands.js';

/** Where Bolt listens in HTTP mode; also the request URL the manifest names. */
export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * The bot scopes Newshound asks for, each for one reason. https://docs.slack.dev/reference/scopes
 */
export const SLACK_BOT_SCOPES = [
  /** `/news`. */
  'commands',
  /** Alerts, edits ("also reported by"), notices, and direct messages from the app. */
  'chat:write',
  /** Alerts in public channels Newshound was not invited to. */
  'chat:write.public',
  /** `users.info`: is the person running `/news subscribe` a workspace admin or owner? */
  'users:read',
  /**
   * `conversations.history` with message metadata, in public and private channels: after a post
   * whose answer never arrived, Newshound looks for it before posting again (no duplicates).
   */
  'channels:history',
  'groups:history',
] as const;

/**
 * Events Newshound listens to: an uninstall or a revoked bot token stops every alert of that
 * workspace at once. Neither needs a scope. https://docs.slack.dev/reference/events/app_uninstalled
 */
export const SLACK_BOT_EVENTS = ['app_uninstalled', 'tokens_revoked'] as const;

export interface SlackManifestOptions {
  /**
   * HTTP mode: the public https base URL Slack sends requests to (`https://news.example.com`);
   * `/slack/events` is added. Without it the app uses Socket Mode (no public URL needed).
   */
  requestUrl?: string;
}

/**
 * The Slack app manifest (https://docs.slack.dev/reference/app-manifest): one `/news` command
 * with a usage hint built from the command definitions, the scopes above, interactivity for the
 * "Post to channel" button, and Socket Mode unless a request URL is given.
 */
export function slackManifest(commands: readonly AnyCommand[], opts: SlackManifestOptions = {}) {
  const url = opts.requestUrl === undefined ? undefined : `${opts.requestUrl.replace(/\/+$/, '')}${SLACK_EVENTS_PATH}`;
  const at = url === undefined ? {} : { url };
  const requestAt = url === undefined ? {} : { request_url: url };
  return {
    _metadata: { major_version: 1, minor_version: 1 },
    display_information: {
      name: 'Newshound',
      description: 'News alerts for your channels: one alert per story, from topics you manage with /news.',
      background_color: '#2b2d31',
    },
    features: {
      app_home: { home_tab_enabled: false, messages_tab_enabled: true, messages_tab_read_only_enabled: true },
      bot_user: { display_name: 'Newshound', always_online: true },
      slash_commands: [
        {
          command: SLACK_COMMAND,
          description: 'Search the news, or manage the news alerts of this channel',
          usage_hint: slackUsageHint(commands),
          should_escape: false,
          ...at,
        },
      ],
    },
    oauth_config: { scopes: { bot: [...SLACK_BOT_SCOPES] } },
    settings: {
      event_subscriptions: { ...requestAt, bot_events: [...SLACK_BOT_EVENTS] },
      interactivity: { is_enabled: true, ...requestAt },
      org_deploy_enabled: false,
      socket_mode_enabled: url === undefined,
      token_rotation_enabled: false,
    },
  };
}
