import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { destinationKey, type Destination } from '../../src/core/destination.js';
import { storyFromItem } from '../../src/core/story.js';
import { DeliveryError, type AlertSender, type SendAttempt } from '../../src/delivery/sender.js';
import type { Runtime } from '../../src/modes/runtime.js';
import { startWorkerRole } from '../../src/modes/worker.js';
import { figures } from '../support/reliability.js';
import { testRuntime } from '../support/runtime.js';
import { waitUntil } from '../support/wait.js';

let runtime: Runtime;
let workers: { stop(graceMs?: number): Promise<void> };
beforeEach(async () => {
  runtime = await testRuntime();
});
afterEach(async () => {
  await workers.stop(500);
  await runtime.close();
});

// Found by R1 at full size: a retry whose earlier post may have gone out lost that status when it
// was rate-limited, and posted blind later (a visible duplicate once Discord's 5-minute nonce expired).
describe('a retry after an unconfirmed post (R1 soak finding)', () => {
  it('still looks for the earlier message after being rate-limited, and shows the alert once', async () => {
    const visible: string[] = [];
    const attempts: boolean[] = [];
    const script: Array<(attempt?: SendAttempt) => string> = [
      // The post goes out but its answer is lost.
      () => {
        visible.push('m1');
        throw new Error('socket hang up');
      },
      () => {
        throw new DeliveryError('rate-limited', 'bucket', { retryAfterMs: 100 });
      },
      // A sender that reconciles finds m1 when told this is a retry; otherwise it posts again.
      (attempt) => {
        if (attempt?.retry) return 'm1';
        visible.push('m2');
        return 'm2';
      },
    ];
    const sender: AlertSender = {
      platform: 'console',
      async send(_dest, _alert, _key, attempt) {
        attempts.push(attempt?.retry ?? false);
        return { messageId: script.shift()!(attempt) };
      },
      async edit() {},
      async postReply() {
        return { messageId: 'reply' };
      },
    };
    runtime.ctx.senders.console = sender;
    workers = startWorkerRole(runtime, { drainDelay: 1, stalledInterval: 1000, lockDuration: 3000 });
    const dest: Destination = { platform: 'console', workspaceId: 'local', channelId: 'c1' };
    const st = storyFromItem({ title: 'Harbour plan approved', link: 'https://news.example/r1-finding' }, 'url:news.example/r1-finding', { id: 'f', name: 'Wire' }, new Date());
    await runtime.ctx.stories.add(st);
    await runtime.ctx.queues.deliver.console.add({ destination: destinationKey(dest), storyId: st.id, clusterId: st.id, topics: [{ topicId: 't', query: 'harbour', terms: ['harbour'] }] });
    await waitUntil(() => attempts.length === 3, 'three attempts', { timeoutMs: 15_000 });
    await waitUntil(async () => (await runtime.ctx.queues.deliver.console.queue.getJobCounts('completed')).completed === 1, 'the delivery to complete');
    figures('R1 retry', { attempts: `${attempts.length} (retry flags ${attempts.join(', ')})`, 'visible messages': visible.length });
    expect(attempts).toEqual([false, true, true]);
    expect(visible).toEqual(['m1']);
  }, 20_000);
});
