import { describe, expect, it } from 'vitest';
import { classifyNetworkError, decideRetry, DEFAULT_RETRY_POLICY, parseRetryAfter } from './retry-policy.js';

const policy = DEFAULT_RETRY_POLICY;

describe('decideRetry', () => {
  it('retries a connection that was never made, with doubling waits, up to the attempt limit', () => {
    expect(decideRetry({ kind: 'not-connected' }, 1, policy)).toEqual({ retry: true, delayMs: 250 });
    expect(decideRetry({ kind: 'not-connected' }, 2, policy)).toEqual({ retry: true, delayMs: 500 });
    expect(decideRetry({ kind: 'not-connected' }, 3, policy)).toEqual({ retry: false });
  });

  it('retries a 429 only with a Retry-After within bounds', () => {
    expect(decideRetry({ kind: 'rate-limited', retryAfterMs: 2000 }, 1, policy)).toEqual({ retry: true, delayMs: 2000 });
    expect(decideRetry({ kind: 'rate-limited', retryAfterMs: null }, 1, policy)).toEqual({ retry: false });
    expect(decideRetry({ kind: 'rate-limited', retryAfterMs: 31_000 }, 1, policy)).toEqual({ retry: false });
  });

  it('never retries anything else (timeouts, resets, 5xx)', () => {
    expect(decideRetry({ kind: 'other' }, 1, policy)).toEqual({ retry: false });
  });
});

describe('classifyNetworkError', () => {
  const fetchFailed = (cause: unknown) => Object.assign(new TypeError('fetch failed'), { cause });
  it.each([
    [fetchFailed(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })), 'not-connected'],
    [fetchFailed(Object.assign(new Error('getaddrinfo ENOTFOUND x.invalid'), { code: 'ENOTFOUND' })), 'not-connected'],
    [fetchFailed(Object.assign(new Error('getaddrinfo EAI_AGAIN x'), { code: 'EAI_AGAIN' })), 'not-connected'],
    [fetchFailed(new AggregateError([Object.assign(new Error('a'), { code: 'ECONNREFUSED' }), Object.assign(new Error('b'), { code: 'ECONNREFUSED' })])), 'not-connected'],
    [fetchFailed(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })), 'other'],
    [fetchFailed(Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' })), 'other'],
    [new Error('no code'), 'other'],
  ])('%s is %s', (error, expected) => {
    expect(classifyNetworkError(error)).toBe(expected);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter(null, now)).toBeNull();
    expect(parseRetryAfter('soon', now)).toBeNull();
  });
});
