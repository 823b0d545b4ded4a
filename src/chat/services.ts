import type { Destination } from '../core/destination.js';
import type { Feed } from '../core/feed.js';
import type { ParsedQuery } from '../core/query/ast.js';
import type { Story } from '../core/story.js';
import type { ChannelStore } from '../storage/channel-store.js';
import type { DeliveryLedger } from '../storage/delivery-ledger.js';
import type { SubscriptionStore } from '../storage/subscription-store.js';

/** A stored story that matched a search, with the terms that made it match. */
export interface SearchHit {
  story: Story;
  terms: string[];
}

/** Searching recent stored stories (`/news <query>`), without scanning them all. */
export interface StorySearch {
  /** Newest matching stories first seen since `sinceMs` that `workspace` may see. */
  search(query: ParsedQuery, opts: { workspace: string; sinceMs: number; limit: number }): Promise<SearchHit[]>;
}

export type AddFeedResult =
  | { status: 'added'; feed: Feed }
  | { status: 'exists'; feed: Feed }
  | { status: 'full'; limit: number };

/** Feeds a workspace added itself; they feed only that workspace's topics and searches. */
export interface WorkspaceFeeds {
  list(workspace: string): Promise<Feed[]>;
  add(workspace: string, url: URL): Promise<AddFeedResult>;
  /** By short id (as `feeds list` shows it) or URL. */
  remove(workspace: string, idOrUrl: string): Promise<Feed | undefined>;
  /** Waits for the feed's first poll to finish (success or failure), up to `timeoutMs`. */
  firstPoll(feedId: string, timeoutMs: number): Promise<Feed | undefined>;
  /** Feeds this workspace depends on (the operator's and its own) that are failing or disabled. */
  failing(workspace: string): Promise<Feed[]>;
}

/** Keeps a channel's digest schedules in step with its topics' delivery modes and time zone. */
export interface DigestSchedules {
  sync(dest: Destination): Promise<void>;
}

/** How many alerts each topic of a channel produced lately. */
export interface AlertStats {
  /** topic id → alerts in the last 7 days. */
  lastWeek(dest: Destination): Promise<Map<string, number>>;
  /** Alerts per UTC day over the last 7 days, oldest first (all topics, or one). */
  daily(dest: Destination, topicId?: string): Promise<number[]>;
  /** The sources of the most alerts in the last 7 days. */
  topSources(dest: Destination, limit: number): Promise<Array<[string, number]>>;
}

/** Short-lived payloads behind buttons (a button id cannot carry a 256-character query). */
export interface ActionStore {
  put(payload: ActionPayload): Promise<string>;
  get(token: string): Promise<ActionPayload | undefined>;
}

export type ActionPayload = { kind: 'post-search'; query: string; workspace: string };

/** What commands are given to work with. */
export interface ChatServices {
  search: StorySearch;
  subscriptions: SubscriptionStore;
  feeds: WorkspaceFeeds;
  stats: AlertStats;
  actions: ActionStore;
  channels: ChannelStore;
  /** What was sent where: the alert a feedback button belongs to. */
  ledger: Pick<DeliveryLedger, 'get'>;
  digests: DigestSchedules;
  limits: {
    topicsPerChannel: number;
    feedsPerWorkspace: number;
  };
}
