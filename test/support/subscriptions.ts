import type { Destination } from '../../src/core/destination.js';
import { parseQuery } from '../../src/core/query/parser.js';
import type { SubscriptionStore } from '../../src/storage/subscription-store.js';
import { topicIdFor } from '../../src/storage/subscription-store.js';

/** Subscribes a channel to a query the way the subscribe command does. */
export async function subscribe(store: SubscriptionStore, dest: Destination, query: string, by = 'U1') {
  const parsed = parseQuery(query);
  return await store.subscribe(dest, { id: topicIdFor(parsed.canonical), canonical: parsed.canonical }, { id: by }, Date.now(), 25);
}

export const channel = (channelId: string, workspaceId = 'G1'): Destination => ({ platform: 'discord', workspaceId, channelId });
