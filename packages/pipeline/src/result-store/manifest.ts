import type { Violation, Warning } from '@wavid/probe';
import { recordRecovery, type ErrorRecord } from '../error-record.js';

/** A verdict as the manifest keeps it, with a one-line description of the file it was given on. */
export interface ManifestVerdict {
  ok: boolean;
  /** `MP4, H.264 High 1920x1080 30fps, AAC LC, 20.1 MB` */
  description: string;
  violations: Violation[];
  warnings: Warning[];
}

/** Where a published file went: a link Meta fetches, or a provider's media id. */
export interface ManifestDelivery {
  kind: 'link' | 'media-id';
  /** The bucket (for links) or the provider (for media ids). */
  target: string;
  link: string | null;
  mediaId: string | null;
  /** ISO time after which the link or id no longer works; null when it does not expire. */
  expiresAt: string | null;
}

/** One input's record: what it was, what was done, where the result is. */
export interface ManifestEntry {
  /** Path of the input below the folder `wavid run` was given. */
  input: string;
  sha256: string;
  sizeBytes: number;
  /** The settings the entry was made under; a run with other settings does the work again. */
  settings: RunSettings;
  action: 'copy' | 'remux' | 'transcode' | null;
  /** Why that action: one line per decision. */
  reasons: string[];
  /** Path of the output below the output folder. */
  output: string | null;
  outputSizeBytes: number | null;
  /** The output's modification time when it was written: a replaced output is made again. */
  outputModifiedMs: number | null;
  attempts: number;
  before: ManifestVerdict | null;
  after: ManifestVerdict | null;
  /** Why the input could not be made compliant. */
  error: ErrorRecord | null;
  delivery: ManifestDelivery | null;
  /** Why the last publish failed; the fixed output is kept, and the next run only publishes. */
  deliveryError: ErrorRecord | null;
  completedAt: string;
}

/** What decides whether a finished entry can be reused: the same bytes under the same rules and version. */
export interface RunSettings {
  wavidVersion: string;
  profile: string;
  maxSizeBytes: number;
  /** H.264 profile of new encodes: outputs made for Main are redone when Baseline is asked for. */
  h264Profile: 'main' | 'baseline';
}

export interface Manifest {
  /** The settings of the run that wrote it last. */
  settings: RunSettings;
  updatedAt: string;
  entries: ManifestEntry[];
}


/**
 * Links or ids are renewed when less than this is left: a day, or a quarter of a shorter lifetime, so a
 * one-hour link is not renewed on every run.
 */
export function renewalMargin(delivery: ManifestDelivery, deliveredAt: number): number {
  const lifetime = delivery.expiresAt ? Date.parse(delivery.expiresAt) - deliveredAt : Infinity;
  return Math.min(24 * 60 * 60 * 1000, lifetime / 4);
}

function sameSettings(a: RunSettings, b: RunSettings): boolean {
  return a.wavidVersion === b.wavidVersion && a.profile === b.profile && a.maxSizeBytes === b.maxSizeBytes && a.h264Profile === b.h264Profile;
}

/** The input and its output as they are on disk now. */
export interface CurrentState {
  sha256: string;
  settings: RunSettings;
  /** Size and modification time of the recorded output, or null when it is gone. */
  output: { sizeBytes: number; modifiedMs: number } | null;
  /** Where this run delivers (see `deliveryTarget`), or null when it does not publish. */
  deliveryTarget: string | null;
  now: number;
}

/**
 * What the next run must do for an input, given its previous entry: nothing, renew only its delivery,
 * or the whole work. Pure, so the skip rules are tested as data.
 */
export function reuseDecision(previous: ManifestEntry | undefined, current: CurrentState): 'skip' | 'renew-delivery' | 'redo' {
  if (!previous?.settings || !sameSettings(previous.settings, current.settings) || previous.sha256 !== current.sha256) return 'redo';
  // The same bytes under the same rules meet a lasting failure again: trying again is wasted work.
  if (previous.error) return recordRecovery(previous.error) === 'give-up' ? 'skip' : 'redo';
  const output = current.output;
  if (!previous.after?.ok || !output || output.sizeBytes !== previous.outputSizeBytes || output.modifiedMs !== previous.outputModifiedMs) return 'redo';
  if (current.deliveryTarget === null) return 'skip';
  const delivery = previous.delivery;
  if (previous.deliveryError || delivery?.target !== current.deliveryTarget) return 'renew-delivery';
  if (!delivery.expiresAt) return 'skip';
  const left = Date.parse(delivery.expiresAt) - current.now;
  return left < renewalMargin(delivery, Date.parse(previous.completedAt)) ? 'renew-delivery' : 'skip';
}

/** Replaces the entry for the same input, or adds it; entries stay sorted by input path. */
export function upsertEntry(entries: readonly ManifestEntry[], entry: ManifestEntry): ManifestEntry[] {
  const others = entries.filter((existing) => existing.input !== entry.input);
  return [...others, entry].sort((a, b) => (a.input < b.input ? -1 : a.input > b.input ? 1 : 0));
}

const CSV_COLUMNS = [
  'input', 'sha256', 'size_bytes', 'action', 'output', 'output_size_bytes', 'attempts', 'before', 'after',
  'link', 'media_id', 'expires_at', 'error_code', 'error_message', 'completed_at',
] as const;

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  // A leading = + - @ makes spreadsheets run the cell as a formula; a quote mark keeps it text.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function verdictCell(verdict: ManifestVerdict | null): string | null {
  if (!verdict) return null;
  return verdict.ok ? 'ok' : verdict.violations.map((violation) => violation.code).join(' ');
}

/** The manifest as CSV for spreadsheets: one row per input. */
export function manifestCsv(manifest: Manifest): string {
  const rows = manifest.entries.map((entry) =>
    [
      entry.input, entry.sha256, entry.sizeBytes, entry.action, entry.output, entry.outputSizeBytes, entry.attempts,
      verdictCell(entry.before), verdictCell(entry.after), entry.delivery?.link ?? null, entry.delivery?.mediaId ?? null,
      entry.delivery?.expiresAt ?? null, (entry.error ?? entry.deliveryError)?.code ?? null, (entry.error ?? entry.deliveryError)?.message ?? null, entry.completedAt,
    ]
      .map(csvCell)
      .join(','),
  );
  return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}
