import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { redisUnavailableReason, startRedis, type RedisTestServer } from './redis-server.js';
import { describeWithService } from './service-suite.js';
import { startSwiftS3, type SwiftS3Server, swiftUnavailableReason } from './swift-s3.js';

const unavailable = [await redisUnavailableReason(), await swiftUnavailableReason()].filter((reason) => reason !== null).join('; ') || null;

export interface QueueServices {
  redis: RedisTestServer;
  s3: SwiftS3Server;
  /** A bucket made for this block. */
  bucket: string;
  /** The environment a worker or coordinator process needs to reach the bucket. */
  env: NodeJS.ProcessEnv;
}

/** Swift's four Python servers can take longer than its start-up wait on a machine busy with encodes: try again. */
async function startSwiftPatiently(tries = 3): Promise<SwiftS3Server> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startSwiftS3();
    } catch (error) {
      if (attempt >= tries) throw error;
    }
  }
}

/** A describe block with Redis and a Swift S3 server, both on loopback, started before its tests and stopped after them. */
export function describeWithQueue(name: string, body: (services: () => QueueServices) => void): void {
  describeWithService(
    name,
    {
      unavailable,
      start: async (onStop) => {
        // Both are waited for, so neither is still starting when a failure of the other ends the block.
        const [redis, s3] = await Promise.allSettled([
          startRedis().then((started) => {
            onStop(() => started.stop());
            return started;
          }),
          startSwiftPatiently().then((started) => {
            onStop(() => started.stop());
            return started;
          }),
        ]);
        if (redis.status === 'rejected') throw redis.reason;
        if (s3.status === 'rejected') throw s3.reason;
        return withBucket(redis.value, s3.value);
      },
    },
    body,
  );
}

async function withBucket(redis: RedisTestServer, s3: SwiftS3Server): Promise<QueueServices> {
  const bucket = 'wavid-queue';
  const client = new S3Client({ endpoint: s3.endpoint, region: s3.region, forcePathStyle: true, credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey } });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  client.destroy();
  const env = { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: s3.region, AWS_ENDPOINT_URL_S3: s3.endpoint };
  return { redis, s3, bucket, env };
}
