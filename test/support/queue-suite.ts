import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe } from 'vitest';
import { redisUnavailableReason, startRedis, type RedisTestServer } from './redis-server.js';
import { startSwiftS3, swiftUnavailableReason, type SwiftS3Server } from './swift-s3.js';

const unavailable = [await redisUnavailableReason(), await swiftUnavailableReason()].filter((reason) => reason !== null).join('; ') || null;
const inCi = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase());

export interface QueueServices {
  redis: RedisTestServer;
  s3: SwiftS3Server;
  /** A bucket made for this block. */
  bucket: string;
  /** The environment a worker or coordinator process needs to reach the bucket. */
  env: NodeJS.ProcessEnv;
}

/** Swift's four Python servers can take longer than its 30 s start-up wait on a machine busy with encodes: try again. */
async function startSwiftPatiently(tries = 3): Promise<SwiftS3Server> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startSwiftS3();
    } catch (error) {
      if (attempt >= tries) throw error;
    }
  }
}

/**
 * A describe block with Redis and a Swift S3 server, both on loopback, started before its tests and stopped
 * after them. Without either, the block fails in CI and is skipped, with the reason printed, on a developer machine.
 */
export function describeWithQueue(name: string, body: (services: () => QueueServices) => void): void {
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
    let services: QueueServices | undefined;
    const started: { redis?: RedisTestServer; s3?: SwiftS3Server } = {};
    beforeAll(async () => {
      if (unavailable) throw new Error(unavailable);
      // Each is kept as soon as it runs, so afterAll stops it even when the other fails to start.
      await Promise.all([
        startRedis().then((redis) => (started.redis = redis)),
        startSwiftPatiently().then((s3) => (started.s3 = s3)),
      ]);
      const { s3 } = started;
      if (!s3 || !started.redis) throw new Error('Redis or S3 did not start');
      const bucket = 'wavid-queue';
      const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
      client.destroy();
      const env = { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: s3.region, AWS_ENDPOINT_URL_S3: s3.endpoint };
      services = { redis: started.redis, s3, bucket, env };
    }, 300_000);
    afterAll(async () => {
      await Promise.all([started.redis?.stop(), started.s3?.stop()]);
    });
    body(() => {
      if (!services) throw new Error('Redis or S3 did not start');
      return services;
    });
  });
}
