import { describe, expect, it } from 'vitest';
import { cancelError, CancelledError, throwIfCancelled } from './cancel.js';
import { recoveryOf } from './failure.js';

describe('cancel', () => {
  it("rejects with the caller's reason, or a CancelledError when there is none", () => {
    const withReason = new AbortController();
    const reason = new Error('stop');
    withReason.abort(reason);
    expect(cancelError(withReason.signal)).toBe(reason);
    const without = new AbortController();
    without.abort();
    expect(cancelError(without.signal)).toBeInstanceOf(CancelledError);
    expect(() => { throwIfCancelled(without.signal); }).toThrow(expect.objectContaining({ code: 'aborted' }) as Error);
    expect(() => { throwIfCancelled(new AbortController().signal); }).not.toThrow();
  });

  it('classifies failures by their recovery field, a cancel or the signal', () => {
    const aborted = new AbortController();
    aborted.abort(new Error('stop'));
    expect(recoveryOf(new CancelledError())).toBe('cancelled');
    expect(recoveryOf(new Error('any'), aborted.signal)).toBe('cancelled');
    expect(recoveryOf(Object.assign(new Error('bad'), { recovery: 'give-up' }))).toBe('give-up');
    expect(recoveryOf(new Error('unexpected'))).toBe('retry');
    expect(recoveryOf('not an error')).toBe('retry');
  });
});
