import { PublishError } from '../errors.js';
import { redactAndClip } from '../http/redact.js';

/** The HTTP status of a failed store call, when the store answered. */
export function storeStatusOf(error: unknown): number | undefined {
  return (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

/**
 * The PublishError (`store-failed`) for a failed call on `where` (`s3://bucket/key`). The store's text can
 * quote a whole answer: it is scrubbed of the S3 secrets of the environment, then cut.
 */
export function storeFailure(where: string, action: string, error: unknown): PublishError {
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const status = storeStatusOf(error);
  const secrets = [process.env.AWS_SECRET_ACCESS_KEY, process.env.AWS_SESSION_TOKEN].filter((secret): secret is string => typeof secret === 'string' && secret.length >= 8);
  return new PublishError('store-failed', `cannot ${action} ${where}${status ? ` (HTTP ${status})` : ''}: ${redactAndClip(detail, secrets)}`, where, { cause: error });
}
