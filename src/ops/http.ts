import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import type { Logger } from '../log.js';
import type { Counters } from '../storage/counters.js';
import type { FeedStore } from '../storage/feed-store.js';
import type { SubscriptionStore } from '../storage/subscription-store.js';
import { renderStatusPage } from './admin-page.js';
import { checkHealth } from './health.js';
import type { Metrics } from './metrics.js';

export interface OpsServerDeps {
  port: number;
  log: Logger;
  redis: Redis;
  queues: () => Queue[];
  metrics: Metrics;
  /** When this process's workers last started a job, per queue (empty without workers). */
  activity: () => ReadonlyMap<string, number>;
  feeds: FeedStore;
  subscriptions: SubscriptionStore;
  counters: Counters;
  /** The admin pages are off without it. */
  adminPassword?: string;
  /** False until everything started, and again while shutting down. */
  ready: () => boolean;
}

export interface OpsServer {
  port: number;
  /** Sends every request under `path` to `listener` (Slack's HTTP receiver) before anything else sees the body. */
  mount(path: string, listener: RequestListener): void;
  close(): Promise<void>;
}

const ADMIN_REALM = 'Basic realm="Newshound admin", charset="UTF-8"';
const digest = (s: string) => createHash('sha256').update(s).digest();

/** HTTP basic auth against the admin password (any user name), compared in constant time. */
function adminAuth(password: string) {
  const expected = digest(password);
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.headers.authorization ?? '';
    const decoded = header.startsWith('Basic ') ? Buffer.from(header.slice(6), 'base64').toString('utf8') : '';
    const given = decoded.slice(decoded.indexOf(':') + 1);
    if (decoded.includes(':') && timingSafeEqual(digest(given), expected)) return next();
    res.setHeader('WWW-Authenticate', ADMIN_REALM).status(401).send('authentication required');
  };
}

/**
 * The HTTP server on HTTP_PORT: `/healthz` (Redis answers and this process's queues move),
 * `/readyz`, `/metrics` (Prometheus), and behind ADMIN_PASSWORD the Bull Board queue UI at
 * `/admin/queues` and the status page at `/admin`. Slack's HTTP receiver is mounted on the same
 * port at `/slack/events`.
 */
export async function startOpsServer(deps: OpsServerDeps): Promise<OpsServer> {
  const app = express();
  app.disable('x-powered-by');
  const mounts = new Map<string, RequestListener>();

  app.get('/healthz', async (_req, res) => {
    const health = await checkHealth(deps.redis, deps.queues(), deps.activity());
    res.status(health.ok ? 200 : 503).json(health);
  });
  app.get('/readyz', async (_req, res) => {
    const redisOk = await deps.redis.ping().then((p) => p === 'PONG', () => false);
    const ready = deps.ready() && redisOk;
    res.status(ready ? 200 : 503).json({ ready, redis: redisOk });
  });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('Content-Type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
  if (deps.adminPassword !== undefined) {
    const auth = adminAuth(deps.adminPassword);
    const board = new ExpressAdapter();
    board.setBasePath('/admin/queues');
    createBullBoard({ queues: deps.queues().map((q) => new BullMQAdapter(q)), serverAdapter: board });
    app.use('/admin/queues', auth, board.getRouter());
    app.get('/admin', auth, async (_req, res) => {
      const feeds = await deps.feeds.list();
      const withOwners = await Promise.all(feeds.map(async (f) => ({ ...f, owners: await deps.feeds.owners(f.id) })));
      const html = renderStatusPage({
        feeds: withOwners.sort((a, b) => a.name.localeCompare(b.name)),
        subscriptions: await deps.subscriptions.all(),
        counters: await deps.counters.all(),
        generatedAt: Date.now(),
      });
      res.type('html').send(html);
    });
  }
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    deps.log.warn({ err }, 'http request failed');
    res.status(500).json({ error: 'internal error' });
  });

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    for (const [prefix, listener] of mounts) {
      if (path === prefix || path.startsWith(`${prefix}/`)) return listener(req, res);
    }
    app(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(deps.port, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  deps.log.info({ port }, 'http server listening');
  return {
    port,
    mount(path, listener) {
      mounts.set(path, listener);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
