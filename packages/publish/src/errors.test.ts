import { describe, expect, it } from 'vitest';
import { PublishError } from './errors.js';

function storeFailure(causeName: string): PublishError {
  const cause = new Error('refused');
  cause.name = causeName;
  return new PublishError('store-failed', 'cannot upload', 'x.mp4', { cause });
}

describe('PublishError recovery', () => {
  it('gives up on a file that does not comply and on refused credentials', () => {
    expect(new PublishError('not-compliant', 'no', 'x.mp4').recovery).toBe('give-up');
    for (const name of ['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'CredentialsProviderError']) expect(storeFailure(name).recovery).toBe('give-up');
  });

  it('retries what may pass: a store that did not answer, a link check, a read', () => {
    expect(storeFailure('TimeoutError').recovery).toBe('retry');
    expect(new PublishError('store-failed', 'x', 'x.mp4').recovery).toBe('retry');
    expect(new PublishError('link-check-failed', 'x', 'x.mp4').recovery).toBe('retry');
  });
});
