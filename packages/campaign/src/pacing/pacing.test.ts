import { describe, expect, it } from 'vitest';
import { classifyFailure } from './classify-failure.js';
import { afterAnswer, afterThrottle, DEFAULT_PACING, INITIAL_PACER, nextSendAt, pairRetryAt, recordAnswer, recordSend, type PacerState } from './pacer.js';

describe('nextSendAt', () => {
  const policy = { ...DEFAULT_PACING, ratePerSecond: 80, burst: 8 };
  function sendAll(state: PacerState, at: number, count: number): { state: PacerState; seqs: number[] } {
    const seqs: number[] = [];
    for (let index = 0; index < count; index++) {
      const sent = recordSend(state, at, policy);
      seqs.push(sent.seq);
      state = sent.state;
    }
    return { state, seqs };
  }

  it('lets a burst out at once, then one every 1/rate, and catches up time lost while held up', () => {
    const burst = sendAll(INITIAL_PACER, 1000, 8);
    expect(nextSendAt(burst.state, 1000, policy)).toBe(1012.5);
    // Held up for 100 ms: the bucket refilled by eight, which go out at once.
    const held = burst.state;
    expect(nextSendAt(held, 1100, policy)).toBe(1100);
    const caughtUp = sendAll(held, 1100, 8).state;
    expect(nextSendAt(caughtUp, 1100, policy)).toBe(1112.5);
    // Never more than the burst, however long the wait.
    const rested = sendAll(caughtUp, 9000, 8).state;
    expect(nextSendAt(rested, 9000, policy)).toBe(9012.5);
  });

  it('never lets more than the rate into a second counted from the answers, and waits for unanswered ones', () => {
    const start = sendAll(INITIAL_PACER, 0, 8);
    const seqs = start.seqs;
    let state = start.state;
    for (let at = 12.5; seqs.length < 80; at += 12.5) {
      const sent = recordSend(state, at, policy);
      seqs.push(sent.seq);
      state = sent.state;
    }
    // Eighty out and none answered: nothing more until an answer says when one reached the provider.
    expect(nextSendAt(state, 1000, policy)).toBe(Number.POSITIVE_INFINITY);
    for (const [index, seq] of seqs.entries()) state = recordAnswer(state, seq, 5 + index);
    // The first answer came at 5: a second (and the clock's step) later one more fits.
    expect(nextSendAt(state, 1000, policy)).toBe(1007);
    expect(nextSendAt({ ...state, pausedUntil: 5000 }, 1100, policy)).toBe(5000);
  });

  it('keeps a slow answer in the window after later ones leave it', () => {
    const start = sendAll(INITIAL_PACER, 0, 8);
    let state = start.state;
    const [slow, ...rest] = start.seqs;
    for (const seq of rest) state = recordAnswer(state, seq, 1);
    state = recordAnswer(state, slow ?? 0, 900);
    for (let at = 1005; at < 1005 + 5 * 12.5; at += 12.5) state = recordSend(state, at, policy).state;
    // The seven answered at 1 have left the window; the first one sent, answered at 900, has not.
    expect(state.recent.map((mark) => mark.seq)).toEqual([slow, 9, 10, 11, 12, 13]);
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
