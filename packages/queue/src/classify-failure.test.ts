import { PublishError } from '@wavid/publish';
import { TranscodeError } from '@wavid/transcode';
import { describe, expect, it } from 'vitest';
import { classifyFailure, failureRecord } from './classify-failure.js';

function refused(name: string): PublishError {
  const cause = new Error('refused');
  cause.name = name;
  return new PublishError('store-failed', 'cannot upload', 'x.mp4', { cause });
}

describe('classifyFailure', () => {
  it('gives up on what the same input meets again', () => {
    for (const code of ['unreadable', 'no-video', 'cannot-fit'] as const) expect(classifyFailure(new TranscodeError(code, code))).toBe('give-up');
    expect(classifyFailure(new PublishError('not-compliant', 'no', 'x.mp4'))).toBe('give-up');
    expect(classifyFailure(refused('InvalidAccessKeyId'))).toBe('give-up');
    expect(classifyFailure(refused('AccessDenied'))).toBe('give-up');
  });

  it('retries what may pass, and anything untyped', () => {
    expect(classifyFailure(new TranscodeError('encode-failed', 'x'))).toBe('retry');
    expect(classifyFailure(new TranscodeError('io', 'disk full'))).toBe('retry');
    expect(classifyFailure(refused('TimeoutError'))).toBe('retry');
    expect(classifyFailure(new Error('socket hang up'))).toBe('retry');
  });

  it('is a cancel when the signal says so', () => {
    const controller = new AbortController();
    controller.abort();
    expect(classifyFailure(new Error('anything'), controller.signal)).toBe('cancelled');
    expect(classifyFailure(new TranscodeError('aborted', 'stopped'))).toBe('cancelled');
  });

  it('records the code, or internal', () => {
    expect(failureRecord(new TranscodeError('cannot-fit', 'too long'))).toEqual({ code: 'cannot-fit', message: 'too long' });
    expect(failureRecord('boom')).toEqual({ code: 'internal', message: 'boom' });
  });
});
