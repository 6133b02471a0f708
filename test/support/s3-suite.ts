import { describeWithService } from './service-suite.js';
import { startSwiftS3, swiftUnavailableReason, type SwiftS3Server } from './swift-s3.js';

const unavailable = await swiftUnavailableReason();

/** A describe block with a Swift S3 server on loopback, started before its tests and stopped after them. */
export function describeWithS3(name: string, body: (server: () => SwiftS3Server) => void): void {
  describeWithService(
    name,
    {
      unavailable,
      start: async (onStop) => {
        const server = await startSwiftS3();
        onStop(() => server.stop());
        return server;
      },
    },
    body,
  );
}
