import { describe, expect, it } from 'vitest';
import { describeRedis, parseRedisUrl, redisUrlFrom } from './redis-connection.js';

describe('parseRedisUrl', () => {
  it('reads host, port, database, user and password, and TLS from rediss://', () => {
    expect(parseRedisUrl('redis://localhost')).toEqual({ host: 'localhost', port: 6379, db: 0, username: undefined, password: undefined, tls: false });
    expect(parseRedisUrl('rediss://app:s%40cret@cache.example.com:6380/2')).toEqual({ host: 'cache.example.com', port: 6380, db: 2, username: 'app', password: 's@cret', tls: true });
    expect(parseRedisUrl('redis://:only-password@[::1]:7000')).toMatchObject({ host: '::1', port: 7000, username: undefined, password: 'only-password' });
  });

  it('refuses other URLs without repeating them', () => {
    for (const text of ['http://user:hunter2@host', 'hunter2', 'redis://user:hunter2@host/x']) {
      expect(() => parseRedisUrl(text, '--redis')).toThrow(/--redis/);
      expect(() => parseRedisUrl(text, '--redis')).not.toThrow(/hunter2/);
    }
  });

  it('describes a location without its user or password', () => {
    const location = parseRedisUrl('rediss://app:hunter2@cache.example.com:6380/1');
    expect(describeRedis(location)).toBe('rediss://cache.example.com:6380/1');
    expect(describeRedis(parseRedisUrl('redis://[::1]'))).toBe('redis://[::1]:6379/0');
  });

  it('takes the option first, then REDIS_URL', () => {
    expect(redisUrlFrom(undefined, { REDIS_URL: 'redis://a:1' }).host).toBe('a');
    expect(redisUrlFrom('redis://b', { REDIS_URL: 'redis://a' }).host).toBe('b');
    expect(() => redisUrlFrom(undefined, { REDIS_URL: ' ' }, '--redis')).toThrow(/--redis needs a Redis URL/);
  });
});
