import { describe, expect, it } from 'vitest';
import { classifyFailure } from './classify-failure.js';
import { afterAnswer, afterThrottle, DEFAULT_PACING, INITIAL_PACER, pairRetryAt, takeSlot } from './pacer.js';

describe('takeSlot', () => {
  it('spaces messages 1/rate apart and never sends before a pause ends', () => {
    const policy = { ...DEFAULT_PACING, ratePerSecond: 80 };
    let state = INITIAL_PACER;
    const times: number[] = [];
    for (let index = 0; index < 4; index++) {
      const slot = takeSlot(state, 1000, policy);
      times.push(slot.at);
      state = slot.state;
    }
    expect(times).toEqual([1000, 1012.5, 1025, 1037.5]);
    expect(takeSlot({ ...state, pausedUntil: 5000 }, 1100, policy).at).toBe(5000);
    expect(takeSlot(state, 9000, policy).at).toBe(9000);
  });
});

describe('afterThrottle', () => {
  it('honours Retry-After, else doubles from 1 s, capped at 60 s, and starts over after an answer', () => {
    const first = afterThrottle(INITIAL_PACER, 0, 3000, DEFAULT_PACING);
    expect(first.delayMs).toBe(3000);
    expect(first.state.pausedUntil).toBe(3000);
    const second = afterThrottle(first.state, 3000, null, DEFAULT_PACING);
    expect(second.delayMs).toBe(2000);
    const third = afterThrottle(second.state, 5000, null, DEFAULT_PACING);
    expect(third.delayMs).toBe(4000);
    expect(afterThrottle({ ...third.state, throttlesInARow: 10 }, 0, null, DEFAULT_PACING).delayMs).toBe(60_000);
    expect(afterThrottle(INITIAL_PACER, 0, 600_000, DEFAULT_PACING).delayMs).toBe(60_000);
    expect(afterAnswer(third.state).throttlesInARow).toBe(0);
  });
});

describe('pairRetryAt', () => {
  it('waits 6 s, then 12 s, then gives up', () => {
    expect(pairRetryAt(1, 0, DEFAULT_PACING)).toBe(6000);
    expect(pairRetryAt(2, 0, DEFAULT_PACING)).toBe(12_000);
    expect(pairRetryAt(3, 0, DEFAULT_PACING)).toBeNull();
  });
});

describe('classifyFailure', () => {
  it.each([
    [{ code: 'rate-limited', status: 429, providerCode: null }, 'throttled'],
    [{ code: 'rejected', status: 400, providerCode: '130429' }, 'throttled'],
    [{ code: 'rejected', status: 400, providerCode: '131056' }, 'pair-limited'],
    [{ code: 'unauthorized', status: 401, providerCode: 'RBC001' }, 'account'],
    [{ code: 'rejected', status: 400, providerCode: 'E110' }, 'account'],
    [{ code: 'rejected', status: 400, providerCode: '132001' }, 'account'],
    [{ code: 'rejected', status: 400, providerCode: '132015' }, 'account'],
    [{ code: 'rejected', status: 400, providerCode: '190' }, 'account'],
    [{ code: 'rejected', status: 400, providerCode: '131026' }, 'recipient'],
    [{ code: 'rejected', status: 400, providerCode: null }, 'recipient'],
    [{ code: 'unreachable', status: null, providerCode: null }, 'not-sent'],
    [{ code: 'timeout', status: null, providerCode: null }, 'unknown'],
    [{ code: 'network', status: null, providerCode: null }, 'unknown'],
    [{ code: 'server-error', status: 500, providerCode: 'WA500' }, 'unknown'],
    [{ code: 'bad-response', status: 200, providerCode: null }, 'unknown'],
  ])('%o is %s', (failure, kind) => {
    expect(classifyFailure(failure)).toBe(kind);
  });
});
