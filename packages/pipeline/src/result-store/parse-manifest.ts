import type { Manifest, ManifestEntry } from './manifest.js';

/** A manifest as read back, and how many of its entries were dropped for not having the shape of one. */
export interface ReadManifest {
  manifest: Manifest;
  dropped: number;
}

/**
 * Reads a manifest document, or null when it is not one. A manifest is a file anyone with access to the
 * output folder (or bucket prefix) can edit: each entry is checked for the shape runs, the CSV and the
 * report rely on, and one that fails is dropped (its input is done again) rather than stopping every run.
 */
export function parseManifest(text: string): ReadManifest | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(value) || !Array.isArray(value.entries) || !isRecord(value.settings)) return null;
  const entries = (value.entries as unknown[]).filter(isManifestEntry);
  return { manifest: { ...(value as unknown as Manifest), entries }, dropped: value.entries.length - entries.length };
}

type Check = (value: unknown) => boolean;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const isString: Check = (value) => typeof value === 'string';
const isNumber: Check = (value) => typeof value === 'number' && Number.isFinite(value);
const isBoolean: Check = (value) => typeof value === 'boolean';
const orNull = (check: Check): Check => (value) => value === null || check(value);
const oneOf = (...choices: readonly unknown[]): Check => (value) => choices.includes(value);
const arrayOf = (check: Check): Check => (value) => Array.isArray(value) && value.every(check);
/** An object with at least these fields, each passing its check (a missing field is `undefined`). */
const shaped = (fields: Record<string, Check>): Check => (value) => isRecord(value) && Object.entries(fields).every(([name, check]) => check(value[name]));

const finding = shaped({ code: isString, message: isString });
const verdict = shaped({ ok: isBoolean, description: isString, violations: arrayOf(finding), warnings: arrayOf(finding) });
// `recovery` is missing in entries written before it was recorded.
const errorRecord = shaped({ code: isString, message: isString, recovery: oneOf(undefined, 'retry', 'give-up', 'cancelled') });

const entryShape = shaped({
  input: (value) => typeof value === 'string' && value !== '',
  // Empty for an input that could not be read; the thumbnail's file name is made from it.
  sha256: (value) => typeof value === 'string' && /^([0-9a-f]{64})?$/.test(value),
  sizeBytes: isNumber,
  settings: shaped({ wavidVersion: isString, profile: isString, maxSizeBytes: isNumber, h264Profile: oneOf('main', 'baseline') }),
  action: oneOf(null, 'copy', 'remux', 'transcode'),
  reasons: arrayOf(isString),
  output: orNull(isString),
  outputSizeBytes: orNull(isNumber),
  outputModifiedMs: orNull(isNumber),
  attempts: isNumber,
  before: orNull(verdict),
  after: orNull(verdict),
  error: orNull(errorRecord),
  delivery: orNull(shaped({ kind: oneOf('link', 'media-id'), target: isString, link: orNull(isString), mediaId: orNull(isString), expiresAt: orNull(isString) })),
  deliveryError: orNull(errorRecord),
  completedAt: isString,
});

/** True for a manifest entry of the shape `ManifestEntry` describes. */
export function isManifestEntry(value: unknown): value is ManifestEntry {
  return entryShape(value);
}
