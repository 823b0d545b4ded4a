import { createTopicIndex, type TopicIndex, type TopicMatch } from '../core/matcher.js';
import { parseQuery } from '../core/query/parser.js';
import type { PreparedDocument } from '../core/text/normalize.js';
import type { Logger } from '../log.js';
import type { SubscriptionStore, Topic } from './subscription-store.js';

/** This process's compiled copy of every active topic, kept in step with Redis. */
export interface TopicMatcher {
  /** Brings the index up to date (cheap when nothing changed; at most every `minRefreshMs`). */
  refresh(): Promise<void>;
  match(doc: PreparedDocument): TopicMatch[];
  readonly size: number;
}

const CHANGES_PER_READ = 1_000;

/**
 * Keeps a {@link TopicIndex} in sync with the topics in Redis: a full load at start, then the
 * topic change stream replayed incrementally, so adding or removing a topic never rebuilds the
 * index. If this process fell so far behind that the stream was trimmed past its position, it
 * loads everything again into a fresh index and swaps it in.
 */
export function createTopicSync(store: SubscriptionStore, log: Logger, minRefreshMs = 250): TopicMatcher {
  let index: TopicIndex = createTopicIndex();
  let lastId: string | undefined;
  let lastRefresh = 0;
  let running: Promise<void> | undefined;

  const apply = (target: TopicIndex, op: 'add' | 'remove', topic: Topic) => {
    if (op === 'remove') {
      target.remove(topic.id);
      return;
    }
    try {
      target.add(topic.id, parseQuery(topic.canonical, { maxLength: Infinity }));
    } catch (err) {
      log.error({ topicId: topic.id, err }, 'stored topic does not parse; it is skipped');
    }
  };

  const fullLoad = async () => {
    // Read the stream position first: changes made while loading are replayed afterwards
    // (adding and removing are idempotent), so none is missed.
    const position = await store.latestChangeId();
    const fresh = createTopicIndex();
    for (const topic of await store.topics()) apply(fresh, 'add', topic);
    index = fresh;
    lastId = position;
    log.debug({ topics: fresh.size }, 'topic index loaded');
  };

  const catchUp = async () => {
    if (lastId === undefined) {
      await fullLoad();
    } else if (lastId !== '0') {
      const oldest = await store.oldestChangeId();
      if (oldest !== undefined && compareIds(oldest, lastId) > 0) await fullLoad();
    }
    for (;;) {
      const changes = await store.changesAfter(lastId ?? '0', CHANGES_PER_READ);
      for (const change of changes) {
        apply(index, change.op, change.topic);
        lastId = change.id;
      }
      if (changes.length < CHANGES_PER_READ) break;
    }
  };

  return {
    async refresh() {
      const now = Date.now();
      if (lastId !== undefined && now - lastRefresh < minRefreshMs) return;
      running ??= catchUp().finally(() => {
        running = undefined;
      });
      await running;
      lastRefresh = now;
    },
    match(doc) {
      return index.match(doc);
    },
    get size() {
      return index.size;
    },
  };
}

/** Orders Redis stream ids (`<ms>-<seq>`). */
function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am - bm || as - bs;
}
