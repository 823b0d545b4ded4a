import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { CLUSTER_SIMILARITY_THRESHOLD, estimateSimilarity, type ClusterSignature } from '../core/cluster.js';
import type { Keys } from './keys.js';

/** Stories join a cluster seen within this window. */
export const CLUSTER_WINDOW_MS = 48 * 3_600_000;
const LOCK_TTL_MS = 5_000;
const LOCK_RETRY_MS = 5;

/** The cluster a story was put in, and whether the story founded it. */
export interface ClusterAssignment {
  clusterId: string;
  founded: boolean;
}

/** Cross-outlet clustering: one cluster per event, whoever reports it. */
export interface ClusterStore {
  /**
   * Puts a story in a cluster: the one it is already in; else the most similar cluster of the
   * last 48 h whose signature is near-identical; else a new cluster named after the story.
   */
  assign(storyId: string, signature: ClusterSignature, firstSeenMs: number): Promise<ClusterAssignment>;
  clusterOf(storyId: string): Promise<string | undefined>;
  /** Story ids of a cluster, oldest first. */
  stories(clusterId: string): Promise<string[]>;
}

export function createRedisClusterStore(redis: Redis, keys: Keys, now: () => number = Date.now): ClusterStore {
  const ttlSeconds = Math.ceil(CLUSTER_WINDOW_MS / 1000);

  // Assignment reads candidates and writes a decision; two near-identical stories handled at
  // the same moment in two processes must not found two clusters, so it runs under a lock.
  const withLock = async <T>(fn: () => Promise<T>): Promise<T> => {
    const token = randomUUID();
    const deadline = Date.now() + LOCK_TTL_MS * 2;
    while ((await redis.set(keys.clusterLock, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
      if (Date.now() > deadline) throw new Error('cluster lock not available');
      await new Promise((r) => setTimeout(r, LOCK_RETRY_MS));
    }
    try {
      return await fn();
    } finally {
      await redis.eval(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`, 1, keys.clusterLock, token);
    }
  };

  /** The cluster with the member most similar to the signature, if similar enough. */
  const best = async (signature: ClusterSignature): Promise<string | undefined> => {
    if (signature.bands.length === 0) return undefined;
    const candidates = await redis.sunion(...signature.bands.map((b) => keys.clusterBand(b)));
    if (candidates.length === 0) return undefined;
    const pipeline = redis.pipeline();
    for (const id of candidates) pipeline.hvals(keys.clusterSignatures(id));
    const rows = (await pipeline.exec()) ?? [];
    let bestId: string | undefined;
    let bestScore = CLUSTER_SIMILARITY_THRESHOLD;
    rows.forEach(([, members], i) => {
      for (const json of (members as string[] | null) ?? []) {
        const score = estimateSimilarity(signature, { minhash: JSON.parse(json) as number[] });
        if (score >= bestScore) {
          bestScore = score;
          bestId = candidates[i];
        }
      }
    });
    return bestId;
  };

  return {
    async assign(storyId, signature, firstSeenMs) {
      const known = await redis.get(keys.storyCluster(storyId));
      if (known !== null) return { clusterId: known, founded: known === storyId };
      return await withLock(async () => {
        const again = await redis.get(keys.storyCluster(storyId));
        if (again !== null) return { clusterId: again, founded: again === storyId };
        const joined = await best(signature);
        const clusterId = joined ?? storyId;
        const multi = redis.multi();
        if (joined === undefined) {
          multi.hset(keys.cluster(clusterId), { id: clusterId, firstStoryId: storyId, createdAt: String(now()) });
          multi.expire(keys.cluster(clusterId), ttlSeconds);
        }
        // Every member's bands point at the cluster, so a third outlet that resembles the
        // second more than the first still finds it.
        if (signature.bands.length > 0) {
          multi.hset(keys.clusterSignatures(clusterId), storyId, JSON.stringify(signature.minhash));
          multi.expire(keys.clusterSignatures(clusterId), ttlSeconds);
        }
        for (const band of signature.bands) {
          multi.sadd(keys.clusterBand(band), clusterId).expire(keys.clusterBand(band), ttlSeconds);
        }
        multi.zadd(keys.clusterStories(clusterId), firstSeenMs, storyId).expire(keys.clusterStories(clusterId), ttlSeconds);
        multi.set(keys.storyCluster(storyId), clusterId, 'EX', ttlSeconds);
        await multi.exec();
        return { clusterId, founded: joined === undefined };
      });
    },
    async clusterOf(storyId) {
      return (await redis.get(keys.storyCluster(storyId))) ?? undefined;
    },
    async stories(clusterId) {
      return await redis.zrange(keys.clusterStories(clusterId), 0, -1);
    },
  };
}
