import { Redis, type RedisOptions } from 'ioredis';

/**
 * What a connection is for. Worker connections wait for Redis to come back (BullMQ needs
 * `maxRetriesPerRequest: null`); connections used by chat commands fail fast so a user gets an
 * error reply within a second instead of a hanging command.
 */
export type ConnectionRole = 'worker' | 'command';

/** Opens an ioredis connection for one role. */
export function createRedis(url: string, role: ConnectionRole, name = 'newshound'): Redis {
  const common: RedisOptions = {
    connectionName: `${name}:${role}`,
    // Reconnect quickly but not in a hot loop.
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  };
  const options: RedisOptions =
    role === 'worker'
      ? { ...common, maxRetriesPerRequest: null, enableReadyCheck: true }
      : { ...common, maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 1_000, commandTimeout: 1_000 };
  return new Redis(url, options);
}
