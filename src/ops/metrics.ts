import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Queue } from 'bullmq';

/** Every metric Newshound exports, on a registry of its own (one per runtime, so tests can run several). */
export interface Metrics {
  registry: Registry;
  /** Feed polls by outcome: ok, not-modified, failed, waiting, locked, disabled ... (304 ratio = not-modified / (ok + not-modified)). */
  polls: Counter<'outcome'>;
  /** Failed fetches and parses by kind (timeout, too-large, http, blocked, parse ...). */
  fetchErrors: Counter<'kind'>;
  /** New stories stored. */
  stories: Counter;
  /** Stories that matched at least one topic, and deliveries they produced. */
  matches: Counter;
  deliveriesQueued: Counter<'platform'>;
  /** Alerts posted or edited, by platform. */
  alerts: Counter<'platform' | 'result'>;
  /** Deliveries that failed, by platform and kind (rate-limited, destination-gone, transient ...). */
  alertFailures: Counter<'platform' | 'kind'>;
  /** Rate limits met, by platform. */
  rateLimited: Counter<'platform'>;
  /** From the poll that found a story to its alert being posted. */
  feedToAlert: Histogram<'platform'>;
}

/** Creates the metrics; queue depths are read from Redis when Prometheus scrapes. */
export function createMetrics(queues: () => Queue[]): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'newshound_' });
  const m: Metrics = {
    registry,
    polls: new Counter({ name: 'newshound_polls_total', help: 'Feed polls by outcome', labelNames: ['outcome'], registers: [registry] }),
    fetchErrors: new Counter({ name: 'newshound_fetch_errors_total', help: 'Feed fetch and parse failures by kind', labelNames: ['kind'], registers: [registry] }),
    stories: new Counter({ name: 'newshound_stories_total', help: 'New stories stored', registers: [registry] }),
    matches: new Counter({ name: 'newshound_matched_stories_total', help: 'Stories that matched at least one topic', registers: [registry] }),
    deliveriesQueued: new Counter({ name: 'newshound_deliveries_queued_total', help: 'Deliveries queued', labelNames: ['platform'], registers: [registry] }),
    alerts: new Counter({ name: 'newshound_alerts_total', help: 'Alerts posted or edited', labelNames: ['platform', 'result'], registers: [registry] }),
    alertFailures: new Counter({ name: 'newshound_alert_failures_total', help: 'Failed delivery attempts by kind', labelNames: ['platform', 'kind'], registers: [registry] }),
    rateLimited: new Counter({ name: 'newshound_rate_limited_total', help: 'Rate limits met', labelNames: ['platform'], registers: [registry] }),
    feedToAlert: new Histogram({
      name: 'newshound_feed_to_alert_seconds',
      help: 'From the poll that found a story to its alert',
      labelNames: ['platform'],
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900],
      registers: [registry],
    }),
  };
  new Gauge({
    name: 'newshound_queue_jobs',
    help: 'Jobs per queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of queues()) {
        const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'failed', 'prioritized');
        for (const [state, n] of Object.entries(counts)) this.set({ queue: queue.name, state }, n);
      }
    },
  });
  return m;
}
