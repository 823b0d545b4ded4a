import type { webApi } from '@slack/bolt';
import type { Logger } from '../../log.js';

/** How long an answer from users.info is trusted (admin rights rarely change; a demotion takes effect within this). */
export const ADMIN_CACHE_MS = 5 * 60_000;
const ADMIN_CACHE_MAX = 10_000;

/** Decides whether a Slack user may manage subscriptions and feeds. */
export type AdminCheck = (teamId: string, userId: string) => Promise<boolean>;

/**
 * Workspace admins and owners (`users.info`: is_admin, is_owner) may manage, and so may the
 * users the operator listed in SLACK_ADMIN_USER_IDS. Answers are cached briefly. When Slack
 * cannot be asked, the answer is no (and not cached): managing is never allowed by accident.
 * https://docs.slack.dev/reference/methods/users.info
 */
export function createAdminCheck(client: webApi.WebClient, allowList: readonly string[], log: Logger, now: () => number = Date.now): AdminCheck {
  const allowed = new Set(allowList);
  const cache = new Map<string, { admin: boolean; until: number }>();
  return async (teamId, userId) => {
    if (allowed.has(userId)) return true;
    const key = `${teamId}:${userId}`;
    const hit = cache.get(key);
    if (hit !== undefined && hit.until > now()) return hit.admin;
    let admin: boolean;
    try {
      const { user } = await client.users.info({ user: userId });
      admin = user !== undefined && user.deleted !== true && (user.is_admin === true || user.is_owner === true || user.is_primary_owner === true);
    } catch (err) {
      log.warn({ err, userId }, 'users.info failed: treating the user as not an admin');
      return false;
    }
    cache.delete(key);
    if (cache.size >= ADMIN_CACHE_MAX) cache.delete(cache.keys().next().value ?? '');
    cache.set(key, { admin, until: now() + ADMIN_CACHE_MS });
    return admin;
  };
}
