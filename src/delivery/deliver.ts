import { UnrecoverableError } from 'bullmq';
import { createHash } from 'node:crypto';
import { parseDestinationKey, type Destination } from '../core/destination.js';
import type { DeliverJob } from '../queues/payloads.js';
import type { JobRun, WorkerContext } from '../queues/worker.js';
import { quietUntil } from '../core/schedule.js';
import { jobIds } from '../queues/job-ids.js';
import type { LedgerEntry } from '../storage/delivery-ledger.js';
import { buildAlert, type Alert } from './alert.js';
import { DeliveryError, type AlertSender } from './sender.js';

/** "Forbidden" answers from one channel within an hour before its subscriptions stop. */
export const FORBIDDEN_LIMIT = 3;
/** After a revoked token, look again this often (the queue stays paused meanwhile). */
const AUTH_RETRY_MS = 60_000;
/** Another story of the cluster is being posted: look again after this. */
const BUSY_RETRY_MS = 1_500;
/** A rate-limited fresh post comes back this much after the limit lifts, so retries go first. */
const FRESH_POST_YIELD_MS = 250;

export type DeliverOutcome =
  | { outcome: 'posted'; messageId: string }
  | { outcome: 'edited' | 'duplicate' | 'story-gone' | 'edit-skipped' | 'muted' }
  | { outcome: 'held'; until: number }
  | { outcome: 'deactivated'; reason: string };

/** The idempotency key of the one alert of a (channel, cluster): Discord nonces are at most 25 characters. */
export function nonceFor(destination: string, clusterId: string): string {
  return createHash('sha256').update(`${destination}\n${clusterId}`).digest('hex').slice(0, 25);
}

async function deactivate(ctx: WorkerContext, dest: Destination, destKey: string, reason: string): Promise<DeliverOutcome> {
  const count = await ctx.subscriptions.deactivateDestination(dest, reason);
  ctx.log.warn({ destination: destKey, reason, subscriptions: count }, 'alerts to a channel stopped');
  if (count > 0) await ctx.events.record({ type: 'destination-disabled', destination: destKey, reason, subscriptions: count, at: ctx.now() });
  return { outcome: 'deactivated', reason };
}

/**
 * What a send failure means for this job: wait and retry (rate limits), stop sending to the
 * channel (gone; forbidden three times in an hour or confirmed by a re-check), stop the whole
 * platform (revoked token), give up (the platform rejected the message), or retry with backoff.
 */
async function handleSendFailure(err: unknown, ctx: WorkerContext, run: JobRun, sender: AlertSender, dest: Destination, job: DeliverJob, retry = false): Promise<DeliverOutcome> {
  const kind = err instanceof DeliveryError ? err.kind : 'transient';
  await ctx.counters.increment(`deliver.error.${dest.platform}.${kind}`);
  ctx.metrics.alertFailures.inc({ platform: dest.platform, kind });
  if (kind === 'rate-limited') ctx.metrics.rateLimited.inc({ platform: dest.platform });
  if (!(err instanceof DeliveryError)) throw err;
  switch (err.kind) {
    case 'rate-limited': {
      // A rate-limited post was certainly not shown, so its claim goes and the next attempt is a
      // fresh post. Unless an earlier attempt may have been shown (a retry after a crash or a lost
      // answer): then the claim stays, so the next attempt still looks for that message first.
      if (!retry) await ctx.ledger.release(job.destination, job.clusterId, job.storyId);
      const wait = err.opts.retryAfterMs ?? 1000;
      if (err.opts.global) return await run.rateLimitQueue(wait);
      // When the limit lifts, retries go first: Discord's nonce dedupes for 5 minutes only, and a
      // retry that kept losing the race to fresh posts in a busy channel could outlast that.
      return await run.delayJob(retry ? wait : wait + FRESH_POST_YIELD_MS);
    }
    case 'destination-gone':
      await ctx.ledger.release(job.destination, job.clusterId, job.storyId);
      return await deactivate(ctx, dest, job.destination, err.message);
    case 'destination-forbidden': {
      const count = await ctx.ledger.noteForbidden(job.destination);
      const check = sender.recheck ? await sender.recheck(dest).catch(() => 'forbidden' as const) : 'forbidden';
      if (check === 'gone' || count >= FORBIDDEN_LIMIT) {
        await ctx.ledger.release(job.destination, job.clusterId, job.storyId);
        return await deactivate(ctx, dest, job.destination, err.message);
      }
      throw err;
    }
    case 'platform-auth': {
      const queue = ctx.queues.deliver[dest.platform as keyof typeof ctx.queues.deliver]?.queue;
      if (queue && !(await queue.isPaused())) {
        await queue.pause();
        ctx.log.error({ platform: dest.platform }, 'the bot token was refused: every send on this platform is paused until a restart with a valid token');
        await ctx.events.record({ type: 'platform-halted', platform: dest.platform, reason: err.message, at: ctx.now() });
      }
      return await run.delayJob(AUTH_RETRY_MS);
    }
    case 'rejected':
      ctx.log.error({ destination: job.destination, storyId: job.storyId, err }, 'the platform rejected an alert; it will not be retried');
      throw new UnrecoverableError(err.message);
  }
}

/** The held-stories bucket of quiet hours. */
export const QUIET_BUCKET = 'quiet';

/**
 * Breaking news: when the channel has a mention rule and the alert's story has now been reported
 * by enough outlets within the rule's minutes of the first alert, one follow-up message mentions
 * the role or user group (once per cluster). Everything else never mentions anyone.
 */
async function escalate(ctx: WorkerContext, sender: AlertSender, dest: Destination, job: DeliverJob, alert: Alert, entry: LedgerEntry): Promise<void> {
  const { breaking } = await ctx.channels.settings(dest);
  if (breaking === undefined || entry.sources.length < breaking.outlets || ctx.now() - entry.at > breaking.minutes * 60_000) return;
  if (!(await ctx.ledger.markEscalated(job.destination, job.clusterId))) return;
  const minutes = Math.max(1, Math.round((ctx.now() - entry.at) / 60_000));
  try {
    await sender.postReply(dest, {
      visibility: 'channel',
      mention: breaking.mention,
      title: `Breaking: ${entry.sources.length} outlets in ${minutes} min`,
      blocks: [{ kind: 'stories', stories: [alert.story] }],
    });
  } catch (err) {
    ctx.log.warn({ err, destination: job.destination }, 'could not post the breaking-news mention');
  }
}

/**
 * Delivers one story to one channel, at most one alert per (channel, cluster): the first story
 * of a cluster is posted; a later story of the same cluster from another outlet edits that
 * alert to add "also reported by ..."; anything seen before is a no-op. The ledger claim comes
 * before the send, so a retry, a crash or a second matching topic can never post twice.
 */
export async function deliverAlert(job: DeliverJob, ctx: WorkerContext, run: JobRun, sender: AlertSender | undefined): Promise<DeliverOutcome> {
  const dest = parseDestinationKey(job.destination);
  if (sender === undefined) throw new Error(`this process has no ${dest.platform} connection; configure it to deliver these alerts`);
  const story = await ctx.stories.get(job.storyId);
  if (story === undefined) return { outcome: 'story-gone' };
  if (await ctx.channels.isClusterMuted(job.destination, job.clusterId)) return { outcome: 'muted' };
  const topics = job.topics;
  const existing = await ctx.ledger.get(job.destination, job.clusterId);
  if (existing === undefined) {
    // Quiet hours hold new alerts (not updates of sent ones) for one catch-up message when they end.
    const settings = await ctx.channels.settings(dest);
    const until = settings.quiet ? quietUntil(ctx.now(), settings.quiet, settings.timeZone) : undefined;
    if (until !== undefined) {
      await ctx.channels.hold(job.destination, QUIET_BUCKET, { storyId: story.id, clusterId: job.clusterId, topics, at: ctx.now() });
      await ctx.queues.digest.add({ destination: job.destination, bucket: QUIET_BUCKET }, { jobId: jobIds.catchUp(job.destination, until), delay: until - ctx.now() });
      return { outcome: 'held', until };
    }
  }
  const claim = await ctx.ledger.claim(job.destination, job.clusterId, story.id, JSON.stringify(topics), ctx.now());

  if (claim.kind === 'busy') return await run.delayJob(BUSY_RETRY_MS);
  if (claim.kind === 'post') {
    let messageId: string;
    try {
      ({ messageId } = await sender.send(dest, buildAlert(story, topics, [], job.clusterId), nonceFor(job.destination, job.clusterId), { retry: claim.retry }));
    } catch (err) {
      return await handleSendFailure(err, ctx, run, sender, dest, job, claim.retry);
    }
    await ctx.ledger.posted(job.destination, job.clusterId, messageId, story.source);
    await ctx.alertStats.record(dest, job.topics.map((t) => t.topicId), ctx.now(), story.source);
    await ctx.counters.increment(`deliver.posted.${dest.platform}`);
    ctx.metrics.alerts.inc({ platform: dest.platform, result: 'posted' });
    ctx.metrics.feedToAlert.observe({ platform: dest.platform }, Math.max(0, (ctx.now() - Date.parse(story.firstSeenAt)) / 1000));
    return { outcome: 'posted', messageId };
  }

  const entry = await ctx.ledger.addReport(job.destination, job.clusterId, story.id, story.source);
  // A cluster sent in a digest is one line of a bigger message: it is never edited into an alert.
  if (entry === undefined || entry.messageId === undefined || entry.digest || entry.sources.length <= entry.shownSources) return { outcome: 'duplicate' };
  const edited = await ctx.ledger.withEditLock(job.destination, job.clusterId, async (): Promise<DeliverOutcome> => {
    const current = await ctx.ledger.addReport(job.destination, job.clusterId, story.id, story.source);
    if (current === undefined || current.messageId === undefined || current.sources.length <= current.shownSources) return { outcome: 'duplicate' };
    const first = (await ctx.stories.get(current.storyId)) ?? story;
    const alert: Alert = buildAlert(first, JSON.parse(current.topics) as Alert['topics'], current.sources.slice(1), job.clusterId);
    try {
      await sender.edit(dest, current.messageId, alert);
    } catch (err) {
      // A deleted alert or a message the platform will not take again is not worth a new post.
      if (err instanceof DeliveryError && (err.kind === 'rejected' || err.kind === 'destination-gone')) {
        await ctx.ledger.markShown(job.destination, job.clusterId, current.sources.length);
        return { outcome: 'edit-skipped' };
      }
      return await handleSendFailure(err, ctx, run, sender, dest, job);
    }
    await ctx.ledger.markShown(job.destination, job.clusterId, current.sources.length);
    await ctx.counters.increment(`deliver.edited.${dest.platform}`);
    ctx.metrics.alerts.inc({ platform: dest.platform, result: 'edited' });
    await escalate(ctx, sender, dest, job, alert, current);
    return { outcome: 'edited' };
  });
  return edited ?? (await run.delayJob(BUSY_RETRY_MS));
}
