import { destinationKey, type Destination } from '../core/destination.js';
import { UserError } from './errors.js';
import type { Invoker } from './command.js';
import { parseUserQuery, topicOf } from './query.js';
import { textReply, type Reply } from './reply.js';
import type { ChatServices } from './services.js';

/** The buttons under every alert. */
export const FEEDBACK_ACTIONS = ['mute-story', 'mute-source', 'exclude-word'] as const;
export type FeedbackAction = (typeof FEEDBACK_ACTIONS)[number];

/** Id prefix of those buttons on every platform: `nh:fb:<action>` (Discord adds `:<cluster id>`). */
export const FEEDBACK_PREFIX = 'nh:fb:';

/** Labels as the buttons show them. */
export const FEEDBACK_LABELS: Record<FeedbackAction, string> = {
  'mute-story': 'Mute story',
  'mute-source': 'Mute this source',
  'exclude-word': 'Exclude a word…',
};

const WORD = /^[\p{L}\p{N}][\p{L}\p{N}' .&-]{0,62}[\p{L}\p{N}]?$/u;

/**
 * What a feedback button does, for the alert of `clusterId` in the invoker's channel: mute the
 * story (no more updates, digests or mentions about it here), mute the alert's source for the
 * topics it matched, or add an exclusion word to those topics (`(query) -word`, a new topic
 * that keeps the old one's digest mode and muted sources). Only
 * people who may manage the channel's subscriptions may; others get a private explanation.
 */
export async function runFeedback(
  services: ChatServices,
  action: FeedbackAction,
  clusterId: string,
  who: { invoker: Invoker; destination: Destination },
  now: number,
  word?: string,
): Promise<Reply> {
  if (!who.invoker.canManage) {
    throw new UserError('not-allowed', "Only people who may manage this channel's alerts can change them. Ask one of them, or search with /news.");
  }
  const excluded = (word ?? '').trim();
  if (action === 'exclude-word' && (!WORD.test(excluded) || excluded.includes('"'))) {
    throw new UserError('bad-word', 'Give one word or a short phrase of letters and digits to exclude.');
  }
  const destKey = destinationKey(who.destination);
  const entry = await services.ledger.get(destKey, clusterId);
  if (entry === undefined) throw new UserError('unknown-alert', 'This alert is too old to change here (a week at most). Change its topic with subscribe and unsubscribe.');
  if (action === 'mute-story') {
    await services.channels.muteCluster(destKey, clusterId);
    return textReply('Muted: no more updates or mentions about this story in this channel.');
  }
  const topicIds = new Set((JSON.parse(entry.topics) as Array<{ topicId?: string }>).flatMap((t) => (t.topicId ? [t.topicId] : [])));
  const subs = (await services.subscriptions.list(who.destination)).filter((s) => topicIds.has(s.topicId) && s.active);
  if (subs.length === 0) throw new UserError('no-topic', 'The topics of this alert are no longer subscribed here.');
  if (action === 'mute-source') {
    const source = entry.sources[0];
    if (source === undefined) throw new UserError('no-source', 'This alert has no source to mute.');
    for (const s of subs) await services.subscriptions.muteSource(s.key, source);
    return textReply(`Muted ${source} for ${subs.map((s) => `#${s.number} ${s.query}`).join(', ')}: its stories no longer alert here for ${subs.length > 1 ? 'these topics' : 'this topic'}.`);
  }
  const changed: string[] = [];
  for (const s of subs) {
    // A single word stays plain so its plural is excluded too; a phrase is quoted.
    const query = parseUserQuery(`(${s.query}) -${/\s/.test(excluded) ? `"${excluded}"` : excluded}`);
    const topic = topicOf(query);
    const added = await services.subscriptions.subscribe(who.destination, topic, { id: s.addedBy, ...(s.addedByName ? { name: s.addedByName } : {}) }, now, services.limits.topicsPerChannel + 1);
    if (added.status === 'full') throw new UserError('full', 'This channel has too many topics to change one; remove one first.');
    const next = added.subscription;
    if (s.mode.kind !== 'instant') await services.subscriptions.setMode(who.destination, topic.id, s.mode);
    for (const source of (await services.subscriptions.mutedSources([s.key])).get(s.key) ?? []) await services.subscriptions.muteSource(next.key, source);
    await services.subscriptions.unsubscribe(who.destination, s.topicId);
    changed.push(`#${next.number} ${query.canonical} (was #${s.number} ${s.query})`);
  }
  await services.digests.sync(who.destination);
  return textReply(`Stories containing "${excluded}" no longer alert here: ${changed.join('; ')}.`);
}
