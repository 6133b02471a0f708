import { Redis, type RedisOptions } from 'ioredis';
import { QueueOptionError } from './errors.js';

/** Where the queue lives, parsed from a `redis://` or `rediss://` (TLS) URL. */
export interface RedisLocation {
  host: string;
  port: number;
  db: number;
  username: string | undefined;
  password: string | undefined;
  tls: boolean;
}

/**
 * Reads `redis://[user:password@]host[:port][/db]` or `rediss://...`. The message of a refusal never
 * repeats the URL: it may hold a password.
 */
export function parseRedisUrl(text: string, option = 'redis'): RedisLocation {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new QueueOptionError(option, `${option} must be a redis:// or rediss:// URL`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new QueueOptionError(option, `${option} must be a redis:// or rediss:// URL; got a ${url.protocol.replace(/:$/, '')} URL`);
  }
  if (url.hostname === '') throw new QueueOptionError(option, `${option} must name a host`);
  const path = url.pathname.replace(/^\/+/, '');
  const db = path === '' ? 0 : Number(path);
  if (!Number.isInteger(db) || db < 0) throw new QueueOptionError(option, `${option} must end in a database number (/0, /1...)`);
  return {
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port === '' ? 6379 : Number(url.port),
    db,
    username: url.username === '' ? undefined : decodeURIComponent(url.username),
    password: url.password === '' ? undefined : decodeURIComponent(url.password),
    tls: url.protocol === 'rediss:',
  };
}

/** The location as it may be printed: scheme, host, port and database, never the user or password. */
export function describeRedis(location: RedisLocation): string {
  const host = location.host.includes(':') ? `[${location.host}]` : location.host;
  return `${location.tls ? 'rediss' : 'redis'}://${host}:${location.port}/${location.db}`;
}

/** The URL from the option, else `REDIS_URL`; a usage mistake when neither is set. */
export function redisUrlFrom(value: string | undefined, env: Readonly<Record<string, string | undefined>>, option = 'redis'): RedisLocation {
  const text = value ?? (env.REDIS_URL?.trim() || undefined);
  if (text === undefined) throw new QueueOptionError(option, `${option} needs a Redis URL: pass one or set REDIS_URL`);
  return parseRedisUrl(text, option);
}

/**
 * A connection as BullMQ needs it: commands wait through a reconnect instead of failing
 * (`maxRetriesPerRequest: null`), and reconnects back off up to 2 s, so a restarted Redis is found again.
 */
export function redisOptions(location: RedisLocation): RedisOptions {
  return {
    host: location.host,
    port: location.port,
    db: location.db,
    username: location.username,
    password: location.password,
    tls: location.tls ? { servername: location.host } : undefined,
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(100 * times, 2_000),
  };
}

/**
 * A connection that reconnects quietly: while Redis is away ioredis retries, and BullMQ reports what fails
 * for good through its own error events, so the connection's own errors are not printed as unhandled.
 */
export function connectRedis(location: RedisLocation): Redis {
  const redis = new Redis(redisOptions(location));
  redis.on('error', () => undefined);
  return redis;
}
