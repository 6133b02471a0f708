import { Redis } from 'ioredis';
import { redisOptions, type RedisLocation } from '@wavid/queue';

export { describeRedis } from '@wavid/queue';

/**
 * A connection for the ledger: like the queue's, it waits through a short outage, but a command gives up after
 * some retries instead of waiting forever, so a run whose Redis is gone stops (what it was sending stays
 * `sending`, and becomes `unknown` on the next run) instead of hanging.
 */
export function connectLedgerRedis(location: RedisLocation): Redis {
  const redis = new Redis({ ...redisOptions(location), maxRetriesPerRequest: 20, connectTimeout: 10_000 });
  redis.on('error', () => undefined);
  return redis;
}
