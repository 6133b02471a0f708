import { createRequire } from 'node:module';

/** Recorded in each job's settings when the caller names no version, so a new wavid makes its outputs again. */
export const QUEUE_PACKAGE_VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
