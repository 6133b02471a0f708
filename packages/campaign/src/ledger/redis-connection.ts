import { Redis } from 'ioredis';
import { redisOptions, type RedisLocation } from '@wavid/queue';

export { describeRedis } from '@wavid/queue';

/** Longest wait for one ledger command's answer, whether Redis is away or stopped answering on an open connection. */
export const LEDGER_COMMAND_TIMEOUT_MS = 10_000;

/**
 * A connection for the ledger: like the queue's, it reconnects after a short outage, but a command gives up after
 * 10 s instead of waiting forever, so a run whose Redis is gone or stalled stops (what it was sending stays
 * `sending`, and becomes `unknown` on the next run) instead of hanging. A command left unanswered by a dropped
 * connection is sent again after the reconnect; the ledger's scripts are written so that this changes nothing.
 */
export function connectLedgerRedis(location: RedisLocation): Redis {
  const redis = new Redis({ ...redisOptions(location), maxRetriesPerRequest: 20, connectTimeout: 10_000, commandTimeout: LEDGER_COMMAND_TIMEOUT_MS });
  redis.on('error', () => undefined);
  return redis;
}
