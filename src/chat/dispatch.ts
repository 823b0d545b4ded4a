import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Logger } from '../log.js';
import { commandName, type AnyCommand, type CommandContext } from './command.js';
import { UserError } from './errors.js';
import type { OptionSpec } from './options.js';
import { problemReply, type Reply } from './reply.js';

/** Per-user command budget: true when the user may run another command now. */
export interface RateLimiter {
  take(userKey: string): Promise<boolean>;
}

export const RATE_LIMIT = { commands: 5, perMs: 10_000 };

export interface DispatchDeps {
  log: Logger;
  rateLimiter: RateLimiter;
  /** How usage lines are written on this platform (`/news subscribe <query>`). */
  usage(def: AnyCommand): string;
}

function argsSchema(options: readonly OptionSpec[]) {
  const shape: Record<string, z.ZodType> = {};
  for (const o of options) {
    let field: z.ZodType =
      o.kind === 'string'
        ? z.string().trim().min(1, `${o.name} is empty`).max(o.maxLength ?? 2048, `${o.name} is too long`)
        : z.coerce.number().int(`${o.name} must be a whole number`).min(o.min ?? -Infinity).max(o.max ?? Infinity);
    if (!o.required) field = field.optional();
    shape[o.name] = field;
  }
  return z.object(shape);
}

/** Errors that mean Redis is not answering (fail-fast command connections). */
function isStorageDown(err: unknown): boolean {
  const message = err instanceof Error ? err.message : '';
  return /Stream isn't writeable|enableOfflineQueue|Connection is closed|ECONNREFUSED|Command timed out|max retries per request/i.test(message);
}

/**
 * Runs a command for a user: rate limit, permission, argument validation, then the command.
 * A user error becomes a friendly private reply with its stable code; anything else is logged
 * with a reference the user can quote, and the user is told plainly. Never throws.
 */
export async function dispatch(def: AnyCommand, rawArgs: Record<string, unknown>, ctx: CommandContext, deps: DispatchDeps): Promise<Reply> {
  const name = commandName(def);
  try {
    if (!(await deps.rateLimiter.take(`${ctx.invoker.platform}:${ctx.invoker.userId}`))) {
      return problemReply('rate-limited', `You are sending commands too fast (at most ${RATE_LIMIT.commands} per ${RATE_LIMIT.perMs / 1000} s). Try again in a few seconds.`);
    }
    if (def.access === 'manage' && !ctx.invoker.canManage) {
      return problemReply(
        'not-allowed',
        ctx.invoker.platform === 'slack'
          ? 'Only workspace admins (or users the operator allowed) can change what this channel receives. Searching with /news <query> is open to everyone.'
          : 'You need the Manage Channels permission to change what this channel receives. Searching with /news is open to everyone.',
      );
    }
    const parsed = argsSchema(def.options).safeParse(rawArgs);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const what = issue?.code === 'invalid_type' ? `${String(issue.path[0])} is missing` : (issue?.message ?? 'invalid arguments');
      return problemReply('bad-arguments', `${what}.`, { usage: deps.usage(def) });
    }
    return await def.execute(parsed.data as never, ctx);
  } catch (err) {
    if (err instanceof UserError) {
      return problemReply(err.code, err.message, { detail: err.detail, usage: err.showUsage ? deps.usage(def) : undefined });
    }
    return failureReply(err, deps.log, { command: name, user: ctx.invoker.userId });
  }
}

/**
 * The reply to an unexpected failure (not a {@link UserError}): logged with a short reference the
 * user can quote; "try again in a minute" when Redis is not answering, else a plain apology.
 */
export function failureReply(err: unknown, log: Logger, fields: Record<string, unknown>): Reply {
  const ref = randomBytes(3).toString('hex');
  if (isStorageDown(err)) {
    log.warn({ ...fields, ref, err }, 'command failed: storage unavailable');
    return problemReply('unavailable', `Newshound cannot reach its database right now. Please try again in a minute. (ref ${ref})`);
  }
  log.error({ ...fields, ref, err }, 'command failed');
  return problemReply('internal', `Something went wrong on our side; it has been logged. Please try again. (ref ${ref})`);
}
