import { createRequire } from 'node:module';

/** This package's version: recorded in manifests, so a new wavid redoes work an old one did. */
export const WAVID_VERSION = (createRequire(import.meta.url)('../package.json') as { version: string }).version;
