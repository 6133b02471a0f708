import type { S3ClientConfig } from '@aws-sdk/client-s3';
import { InvalidOptionError } from '../errors.js';
import { checkBaseUrl } from '../message.js';
import { nonEmpty } from '../non-empty.js';

export interface StoreConnectionOptions {
  /** S3-compatible endpoint (MinIO, R2, Swift...). Default: `AWS_ENDPOINT_URL_S3`, then `AWS_ENDPOINT_URL`, else AWS. */
  endpoint?: string | undefined;
  /** Default: the SDK's region chain (`AWS_REGION`, the config file...). */
  region?: string | undefined;
  /** Default: the SDK's credential chain. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string | undefined } | undefined;
  /** Where the endpoint variables are read. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
}

/**
 * The S3 client configuration, as data. With an endpoint, addressing is path-style: most S3-compatible servers
 * have no wildcard DNS for bucket subdomains. Checksums are computed only when an operation requires them:
 * by default the SDK streams bodies `aws-chunked` with a trailing checksum, which some servers reject and
 * others store, framing and all, as the object's bytes.
 */
export function s3ClientConfig(options: StoreConnectionOptions): S3ClientConfig {
  const env = options.env ?? process.env;
  const endpointText = options.endpoint ?? (nonEmpty(env.AWS_ENDPOINT_URL_S3) || nonEmpty(env.AWS_ENDPOINT_URL));
  const endpoint = endpointText === undefined ? undefined : checkBaseUrl(endpointText, 'endpoint');
  if (options.region !== undefined && !/^[a-z0-9-]+$/i.test(options.region)) {
    throw new InvalidOptionError('region', (name) => `${name('region')} must look like us-east-1; got '${options.region}'`);
  }
  const config: S3ClientConfig = {
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
  if (endpoint !== undefined) {
    config.endpoint = endpoint;
    config.forcePathStyle = true;
  }
  if (options.region !== undefined) config.region = options.region;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  return config;
}
