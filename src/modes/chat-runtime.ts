import type { Redis } from 'ioredis';
import { COMMANDS } from '../../commands/index.js';
import type { AnyCommand, Choice, CommandContext, Invoker } from '../chat/command.js';
import { dispatch, failureReply, RATE_LIMIT, type DispatchDeps } from '../chat/dispatch.js';
import { UserError } from '../chat/errors.js';
import { runFeedback, type FeedbackAction } from '../chat/feedback.js';
import { problemReply, type Reply } from '../chat/reply.js';
import { routeText } from '../chat/router.js';
import type { ChatServices } from '../chat/services.js';
import type { Config } from '../config/env.js';
import type { Destination } from '../core/destination.js';
import type { Logger } from '../log.js';
import { createQueues, type Queues } from '../queues/queues.js';
import { createRedisActionStore, createRedisAlertStats, createRedisRateLimiter } from '../storage/chat-stores.js';
import { createRedisChannelStore } from '../storage/channel-store.js';
import { createRedisDeliveryLedger } from '../storage/delivery-ledger.js';
import { createRedisFeedStore } from '../storage/feed-store.js';
import { createDigestSchedules } from '../queues/digest-schedule.js';
import { createKeys } from '../storage/keys.js';
import { createRedis } from '../storage/redis.js';
import { createRedisSearchIndex } from '../storage/search-index.js';
import { createRedisStoryStore } from '../storage/story-store.js';
import { createRedisSubscriptionStore } from '../storage/subscription-store.js';
import { createRedisWorkspaceFeeds } from '../storage/workspace-feeds.js';

/** Per-channel and per-workspace caps. */
export const LIMITS = { topicsPerChannel: 25, feedsPerWorkspace: 20 };

/** What chat adapters need to run commands: services on a fail-fast Redis connection. */
export interface ChatRuntime {
  services: ChatServices;
  commands: readonly AnyCommand[];
  /** Runs a command; never throws (errors become replies). */
  run(def: AnyCommand, args: Record<string, unknown>, who: { invoker: Invoker; destination: Destination }, usage: (def: AnyCommand) => string): Promise<Reply>;
  /** Routes a line of text (`subscribe tiktok`, `tiktok`) and runs it (Slack, console). */
  runText(text: string, who: { invoker: Invoker; destination: Destination }, usage: (def: AnyCommand) => string): Promise<Reply>;
  /** Suggestions for an option being typed (Discord autocomplete). Never throws. */
  autocomplete(def: AnyCommand, focused: { name: string; value: string }, who: { invoker: Invoker; destination: Destination }): Promise<Choice[]>;
  /** Runs a feedback button of an alert (mute story, mute source, exclude a word). Never throws. */
  runFeedback(action: FeedbackAction, clusterId: string, who: { invoker: Invoker; destination: Destination }, word?: string): Promise<Reply>;
  /** Runs a button: `post-to-channel` shares a search in the channel. */
  runAction(token: string, who: { invoker: Invoker; destination: Destination }): Promise<Reply>;
  redis: Redis;
  queues: Queues;
  close(): Promise<void>;
}

/**
 * Builds the chat side on its own Redis connection that fails fast (a command gets "try again"
 * within a second when Redis is down, instead of hanging past the platform's reply window).
 */
export async function createChatRuntime(config: Config, log: Logger, now: () => number = Date.now): Promise<ChatRuntime> {
  const redis = createRedis(config.REDIS_URL ?? 'redis://127.0.0.1:6379', 'command', 'newshound-chat');
  redis.on('error', (err: Error) => log.warn({ err: err.message }, 'chat redis connection error'));
  await new Promise<void>((resolve, reject) => {
    if (redis.status === 'ready') return resolve();
    redis.once('ready', () => resolve());
    redis.once('end', () => reject(new Error('cannot connect to Redis')));
  });
  const keys = createKeys(config.REDIS_PREFIX);
  const retentionMs = config.STORY_RETENTION_DAYS * 86_400_000;
  const feeds = createRedisFeedStore(redis, keys);
  const stories = createRedisStoryStore(redis, keys, retentionMs);
  const queues = createQueues(redis, config.REDIS_PREFIX);
  const subscriptions = createRedisSubscriptionStore(redis, keys);
  const channels = createRedisChannelStore(redis, keys);
  const services: ChatServices = {
    search: createRedisSearchIndex(redis, keys, stories, feeds, retentionMs),
    subscriptions,
    feeds: createRedisWorkspaceFeeds(redis, keys, feeds, queues, { maxPerWorkspace: LIMITS.feedsPerWorkspace, intervalSeconds: config.POLL_INTERVAL_SECONDS }),
    stats: createRedisAlertStats(redis, keys, now),
    actions: createRedisActionStore(redis, keys),
    channels,
    ledger: createRedisDeliveryLedger(redis, keys),
    digests: createDigestSchedules(redis, keys, queues, subscriptions, channels),
    limits: LIMITS,
  };
  const rateLimiter = createRedisRateLimiter(redis, keys, RATE_LIMIT, now);
  const context = (who: { invoker: Invoker; destination: Destination }, usage: (def: AnyCommand) => string): CommandContext => ({
    ...who,
    services,
    help: { commands: COMMANDS, usage },
    now,
  });
  const deps = (usage: (def: AnyCommand) => string): DispatchDeps => ({ log, rateLimiter, usage });
  return {
    services,
    commands: COMMANDS,
    async run(def, args, who, usage) {
      return await dispatch(def, args, context(who, usage), deps(usage));
    },
    async runText(text, who, usage) {
      let routed;
      try {
        routed = routeText(COMMANDS, text);
      } catch (err) {
        if (err instanceof UserError) return problemReply(err.code, err.message);
        throw err;
      }
      return await dispatch(routed.command, routed.args, context(who, usage), deps(usage));
    },
    async autocomplete(def, focused, who) {
      if (def.autocomplete === undefined) return [];
      try {
        return await def.autocomplete(focused, context(who, () => ''));
      } catch (err) {
        log.warn({ err }, 'autocomplete failed');
        return [];
      }
    },
    async runFeedback(action, clusterId, who, word) {
      try {
        return await runFeedback(services, action, clusterId, who, now(), word);
      } catch (err) {
        if (err instanceof UserError) return problemReply(err.code, err.message);
        return failureReply(err, log, { feedback: action, user: who.invoker.userId });
      }
    },
    async runAction(token, who) {
      let payload;
      try {
        payload = await services.actions.get(token);
      } catch (err) {
        return failureReply(err, log, { action: 'share', user: who.invoker.userId });
      }
      if (payload === undefined) return problemReply('expired', 'This button has expired. Run the search again.');
      const search = COMMANDS.find((c) => c.path.length === 0)!;
      const reply = await dispatch(search, { query: payload.query }, context(who, () => ''), deps(() => ''));
      if (reply.blocks.some((b) => b.kind === 'problem')) return reply;
      const { actions: _dropped, ...shared } = reply;
      const by = who.invoker.userName ?? 'Someone';
      return { ...shared, visibility: 'channel', title: `${by} shared: ${reply.title ?? 'news'}` };
    },
    redis,
    queues,
    async close() {
      await queues.close();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
