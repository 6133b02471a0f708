import { afterAll, beforeAll, describe } from 'vitest';
import { startSwiftS3, swiftUnavailableReason, type SwiftS3Server } from './swift-s3.js';

const unavailable = await swiftUnavailableReason();
const inCi = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase());

/**
 * A describe block with a Swift S3 server started before its tests and stopped after them.
 * Without Swift the block fails in CI (a missing package must not pass as green) and is skipped,
 * with the reason printed, on a developer machine.
 */
export function describeWithS3(name: string, body: (server: () => SwiftS3Server) => void): void {
  if (unavailable && !inCi) {
    console.warn(`skipping '${name}': ${unavailable}`);
    describe.skip(name, () => {
      body(() => {
        throw new Error(unavailable);
      });
    });
    return;
  }
  describe(name, () => {
    let server: SwiftS3Server | undefined;
    beforeAll(async () => {
      if (unavailable) throw new Error(unavailable);
      server = await startSwiftS3();
    });
    afterAll(async () => {
      await server?.stop();
    });
    body(() => {
      if (!server) throw new Error('the S3 server did not start');
      return server;
    });
  });
}
