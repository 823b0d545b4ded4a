import type { RequestListener, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, type BlockAction, type ButtonAction, type RespondFn, type SlashCommand } from '@slack/bolt';
import type { AnyCommand, Invoker } from '../../chat/command.js';
import { UserError } from '../../chat/errors.js';
import { problemReply, type Reply } from '../../chat/reply.js';
import { routeText } from '../../chat/router.js';
import type { Config } from '../../config/env.js';
import { workspaceKey, type Destination } from '../../core/destination.js';
import type { Logger } from '../../log.js';
import type { ChatRuntime } from '../../modes/chat-runtime.js';
import { createAdminCheck } from './admins.js';
import { slashCommandText, slackUsage } from './commands.js';
import { slackLogger } from './log.js';
import { SLACK_EVENTS_PATH } from './manifest.js';
import { createSlackReceiver, type SlackReceiverOptions } from './receiver.js';
import { ACTION_PREFIX, replyContent } from './render.js';
import { FEEDBACK_ACTIONS, FEEDBACK_PREFIX } from '../../chat/feedback.js';
import { slackErrorCode } from './sender.js';

export interface SlackBotOptions {
  botToken: string;
  /** Web API base (`SLACK_API_URL`). */
  apiUrl: string;
  /** Socket Mode when set; otherwise HTTP mode with `signingSecret`. */
  appToken?: string;
  signingSecret?: string;
  /**
   * HTTP mode: hands `/slack/events` to the process's HTTP server (shared with health and
   * metrics on HTTP_PORT). Without it, Bolt listens on `port` itself.
   */
  mountHttp?: (path: string, listener: RequestListener) => void;
  port?: number;
  /** Users who may manage besides workspace admins and owners (`SLACK_ADMIN_USER_IDS`). */
  adminUserIds: readonly string[];
  chat: ChatRuntime;
  log: Logger;
  /** Tests shorten Bolt's waits. */
  timing?: Pick<SlackReceiverOptions, 'unhandledRequestTimeoutMillis' | 'clientPingTimeout'>;
}

/** The Slack part of the configuration (`botToken` is `SLACK_BOT_TOKEN`, which the caller checked is set). */
export function slackBotConfig(config: Config, botToken: string): Omit<SlackBotOptions, 'chat' | 'log'> {
  return {
    botToken,
    apiUrl: config.SLACK_API_URL ?? 'https://slack.com/api/',
    ...(config.SLACK_APP_TOKEN !== undefined ? { appToken: config.SLACK_APP_TOKEN } : {}),
    ...(config.SLACK_SIGNING_SECRET !== undefined ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
    adminUserIds: config.SLACK_ADMIN_USER_IDS,
  };
}

/** The callback id of the "exclude a word" modal. */
const EXCLUDE_VIEW_ID = 'nh:exclude-word';

/** The "Post to channel" button of search results. */
const POST_ACTION_ID = `${ACTION_PREFIX}post-to-channel`;

/** Where a command's alerts would go: can the bot post there? (`conversations.history` needs only the history scopes we have.) */
type ChannelAccess = 'member' | 'public-not-member' | 'unreachable' | 'unknown';

/**
 * The Slack side: `/news` (routed by its first word), the "Post to channel" button, and the
 * uninstall events. Every command is acknowledged before any I/O (Slack's 3-second window),
 * then answered privately through its response_url. Alerts are posted by worker processes.
 */
export async function startSlackBot(opts: SlackBotOptions): Promise<{ app: App; port?: number; stop(): Promise<void> }> {
  const { chat, log } = opts;
  const receiver = createSlackReceiver({
    apiUrl: opts.apiUrl,
    logger: slackLogger(log, 'slack-receiver'),
    ...(opts.appToken !== undefined ? { appToken: opts.appToken } : {}),
    ...(opts.signingSecret !== undefined ? { signingSecret: opts.signingSecret } : {}),
    ...opts.timing,
  });
  const app = new App({
    token: opts.botToken,
    receiver,
    logger: slackLogger(log, 'slack-bolt'),
    // auth.test runs in init(), awaited: a refused token stops the start with a clear error.
    deferInitialization: true,
    clientOptions: { slackApiUrl: opts.apiUrl, retryConfig: { retries: 2, minTimeout: 200, maxTimeout: 1000 }, timeout: 5_000 },
  });
  const isAdmin = createAdminCheck(app.client, opts.adminUserIds, log);

  const channelAccess = async (channel: string): Promise<ChannelAccess> => {
    try {
      await app.client.conversations.history({ channel, limit: 1 });
      return 'member';
    } catch (err) {
      const code = slackErrorCode(err);
      if (code === 'not_in_channel') return 'public-not-member';
      if (code === 'channel_not_found') return 'unreachable';
      log.warn({ err, channel }, 'could not check whether Newshound can post in a channel');
      return 'unknown';
    }
  };

  const runCommand = async (command: SlashCommand): Promise<Reply> => {
    const destination: Destination = { platform: 'slack', workspaceId: command.team_id, channelId: command.channel_id };
    const invoker: Invoker = { platform: 'slack', userId: command.user_id, userName: command.user_name, canManage: false };
    const text = slashCommandText(command.text);
    let def: AnyCommand | undefined;
    try {
      def = routeText(chat.commands, text).command;
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
    }
    // users.info only when the command needs it: searching stays one fast step.
    if (def?.access === 'manage') invoker.canManage = await isAdmin(command.team_id, command.user_id);
    let access: ChannelAccess = 'unknown';
    if (def?.postsInChannel && invoker.canManage) {
      access = await channelAccess(command.channel_id);
      if (access === 'unreachable') {
        return problemReply('bot-not-in-channel', 'I cannot post alerts in this channel: it is private and I am not in it. Invite me with /invite @Newshound, then try again.');
      }
    }
    const reply = await chat.runText(text, { invoker, destination }, slackUsage);
    if (access === 'public-not-member' && reply.blocks.every((b) => b.kind !== 'problem')) {
      reply.blocks.push({ kind: 'text', text: 'Tip: invite me to this channel (/invite @Newshound) so I can check after a network error that no alert was posted twice.' });
    }
    return reply;
  };

  const answer = async (respond: RespondFn, reply: Reply, where: 'ephemeral' | 'in_channel') => {
    try {
      await respond({ response_type: where, replace_original: false, ...replyContent(reply) });
    } catch (err) {
      // The response_url expired or was used up: nothing else can reach the user.
      log.warn({ err }, 'could not answer a Slack command');
    }
  };

  // Every command this app receives is `/news`, even if a workspace renamed it (a name clash with another app).
  app.command(/^\//, async ({ command, ack, respond }) => {
    await ack();
    let reply: Reply;
    try {
      reply = await runCommand(command);
    } catch (err) {
      log.error({ err, user: command.user_id }, 'slack command failed');
      reply = problemReply('internal', 'Something went wrong on our side; it has been logged. Please try again.');
    }
    await answer(respond, reply, 'ephemeral');
  });

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: POST_ACTION_ID }, async ({ ack, body, action, respond }) => {
    await ack();
    const teamId = body.team?.id ?? body.user.team_id;
    const channelId = body.channel?.id;
    let reply: Reply;
    if (teamId === undefined || channelId === undefined || action.value === undefined) {
      reply = problemReply('not-here', 'This button only works in a channel.');
    } else {
      const invoker: Invoker = { platform: 'slack', userId: body.user.id, userName: body.user.name ?? body.user.username, canManage: false };
      reply = await chat.runAction(action.value, { invoker, destination: { platform: 'slack', workspaceId: teamId, channelId } });
    }
    await answer(respond, reply, reply.visibility === 'channel' ? 'in_channel' : 'ephemeral');
  });

  // Feedback buttons under alerts: mute story, mute source, exclude a word (a modal asks for it).
  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: new RegExp(`^${FEEDBACK_PREFIX}`) }, async ({ ack, body, action, respond, client }) => {
    await ack();
    const teamId = body.team?.id ?? body.user.team_id;
    const channelId = body.channel?.id;
    const feedback = FEEDBACK_ACTIONS.find((a) => `${FEEDBACK_PREFIX}${a}` === action.action_id);
    if (teamId === undefined || channelId === undefined || feedback === undefined || action.value === undefined) {
      await answer(respond, problemReply('not-here', 'This button only works under an alert in a channel.'), 'ephemeral');
      return;
    }
    const invoker: Invoker = { platform: 'slack', userId: body.user.id, userName: body.user.name ?? body.user.username, canManage: await isAdmin(teamId, body.user.id) };
    const context = { invoker, destination: { platform: 'slack' as const, workspaceId: teamId, channelId } };
    if (feedback === 'exclude-word' && invoker.canManage) {
      await client.views.open({
        trigger_id: body.trigger_id,
        view: {
          type: 'modal',
          callback_id: EXCLUDE_VIEW_ID,
          private_metadata: JSON.stringify({ clusterId: action.value, teamId, channelId }),
          title: { type: 'plain_text', text: 'Exclude a word' },
          submit: { type: 'plain_text', text: 'Exclude' },
          close: { type: 'plain_text', text: 'Cancel' },
          blocks: [{ type: 'input', block_id: 'word', label: { type: 'plain_text', text: 'Stories with this word will not alert' }, element: { type: 'plain_text_input', action_id: 'word', max_length: 64 } }],
        },
      });
      return;
    }
    await answer(respond, await chat.runFeedback(feedback, action.value, context), 'ephemeral');
  });
  app.view(EXCLUDE_VIEW_ID, async ({ ack, body, view, client }) => {
    await ack();
    const meta = JSON.parse(view.private_metadata || '{}') as { clusterId?: string; teamId?: string; channelId?: string };
    const word = view.state.values.word?.word?.value ?? '';
    if (!meta.clusterId || !meta.teamId || !meta.channelId) return;
    const invoker: Invoker = { platform: 'slack', userId: body.user.id, userName: body.user.name, canManage: await isAdmin(meta.teamId, body.user.id) };
    const reply = await chat.runFeedback('exclude-word', meta.clusterId, { invoker, destination: { platform: 'slack', workspaceId: meta.teamId, channelId: meta.channelId } }, word);
    try {
      await client.chat.postEphemeral({ channel: meta.channelId, user: body.user.id, ...replyContent(reply) });
    } catch (err) {
      log.warn({ err }, 'could not answer an exclude-word form');
    }
  });

  // Uninstalled, or the bot token revoked: stop every alert of the workspace, for good (its
  // subscriptions show why; subscribing again after a reinstall resumes them).
  const stopWorkspace = async (teamId: string, reason: string) => {
    const channels = await chat.services.subscriptions.channelsOf(workspaceKey({ platform: 'slack', workspaceId: teamId }));
    let stopped = 0;
    for (const dest of channels) stopped += await chat.services.subscriptions.deactivateDestination(dest, reason);
    log.warn({ team: teamId, channels: channels.length, subscriptions: stopped, reason }, 'alerts to a Slack workspace stopped');
  };
  app.event('app_uninstalled', async ({ body }) => {
    await stopWorkspace(body.team_id, 'Newshound was uninstalled from this workspace');
  });
  app.event('tokens_revoked', async ({ event, body }) => {
    if ((event.tokens.bot ?? []).length > 0) await stopWorkspace(body.team_id, "Newshound's access to this workspace was revoked");
  });

  app.error(async (err) => {
    log.error({ err }, 'slack listener failed');
  });

  await app.init();
  let port: number | undefined;
  let started = true;
  if (opts.appToken !== undefined) {
    await app.start();
  } else if (opts.mountHttp !== undefined && receiver instanceof HTTPReceiver) {
    opts.mountHttp(SLACK_EVENTS_PATH, receiver.requestListener);
    // The process's HTTP server owns the port; Bolt's receiver never listens itself.
    started = false;
  } else {
    const server = (await app.start({ port: opts.port ?? 0 })) as Server;
    port = (server.address() as AddressInfo).port;
  }
  log.info({ mode: opts.appToken !== undefined ? 'socket' : 'http', port }, 'slack bot connected');
  return {
    app,
    ...(port !== undefined ? { port } : {}),
    async stop() {
      if (started) await app.stop();
    },
  };
}
