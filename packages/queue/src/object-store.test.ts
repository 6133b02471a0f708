import type { S3Client } from '@aws-sdk/client-s3';
import { PublishError } from '@wavid/publish';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { objectStore } from './object-store.js';

/** A client whose every call fails as a store can: with an answer that quotes the request, secret and all. */
function failingClient(error: Error): S3Client {
  return { send: () => Promise.reject(error), destroy: () => undefined } as unknown as S3Client;
}

describe('objectStore failures', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('are store-failed PublishErrors with the S3 secret scrubbed and the store text cut', async () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', secret);
    const answer = Object.assign(new Error(`SignatureDoesNotMatch: the key ${secret} signed ${'x'.repeat(2000)}`), { name: 'SignatureDoesNotMatch', $metadata: { httpStatusCode: 403 } });
    const store = objectStore(failingClient(answer));
    for (const call of [() => store.putJson('media', 'wavid/results/a.json', {}), () => store.getJson('media', 'wavid/results/a.json'), () => store.size('media', 'wavid/inputs/a.mov')]) {
      const error = await call().then(() => null, (failure: unknown) => failure);
      expect(error).toBeInstanceOf(PublishError);
      expect(error).toMatchObject({ code: 'store-failed', recovery: 'give-up' });
      const { message } = error as PublishError;
      expect(message).toMatch(/^cannot \w+( \w+)? s3:\/\/media\/wavid\/\w+\/a\.\w+ \(HTTP 403\): SignatureDoesNotMatch: /);
      expect(message).not.toContain(secret);
      expect(message.length).toBeLessThan(400);
    }
  });
});
