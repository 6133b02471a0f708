import { mkdir, readFile, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { checkCompliance, probe, type ComplianceProfile, type ComplianceVerdict, type MediaFacts } from '@wavid/probe';
import { hashFile } from '@wavid/publish';
import { extractThumbnail } from '@wavid/transcode';
import { collectInputs, type InputFile } from '../collect-inputs.js';
import { isInside, outputPathsFor } from '../fix/output-paths.js';
import { fixActivity, type FileActivity } from '../fix/progress-view.js';
import { describeFacts } from '../report/check-report.js';
import { reportHtml } from '../report/report-html.js';
import { x264ThreadsFor } from './concurrency.js';
import { errorRecord } from './error-record.js';
import {
  MANIFEST_CSV,
  MANIFEST_JSON,
  manifestCsv,
  parseManifest,
  reuseDecision,
  upsertEntry,
  type Manifest,
  type ManifestDelivery,
  type ManifestEntry,
  type ManifestVerdict,
  type RunSettings,
} from './manifest.js';
import { mapConcurrent } from './map-concurrent.js';
import { deliver, prepare, type Destination, type PrepareProgress } from './prepare.js';
import { writeFileAtomic } from './write-file-atomic.js';

export const REPORT_HTML = 'report.html';
/** Thumbnails are kept beside the outputs so a later run can rebuild the report without decoding again. */
const THUMBNAIL_DIR = join('.wavid', 'thumbnails');

/** How an input was handled in this run. */
export type CampaignOutcome = 'done' | 'skipped' | 'renewed' | 'failed';

export interface CampaignOptions {
  folder: string;
  outDir: string;
  profile: ComplianceProfile;
  destination?: Destination | undefined;
  concurrency: number;
  h264Profile?: 'main' | 'baseline' | undefined;
  wavidVersion: string;
  env?: Readonly<Record<string, string | undefined>> | undefined;
  signal?: AbortSignal | undefined;
  /** Clock for expiry checks and timestamps. Default `Date.now`. */
  now?: (() => number) | undefined;
  onInputs?: ((inputs: readonly InputFile[]) => void) | undefined;
  onStart?: ((input: string) => void) | undefined;
  onActivity?: ((input: string, activity: FileActivity) => void) | undefined;
  onEntry?: ((input: string, entry: ManifestEntry, outcome: CampaignOutcome) => void) | undefined;
}

export interface CampaignResult {
  manifest: Manifest;
  outcomes: ReadonlyMap<string, CampaignOutcome>;
  manifestPath: string;
  csvPath: string;
  reportPath: string;
}

/** A name for where deliveries go, so a change of bucket or provider renews them. */
export function deliveryTarget(destination: Destination | undefined): string | null {
  if (!destination) return null;
  if (destination.kind === 'media-id') return `provider:${destination.provider}`;
  return `s3://${destination.bucket}/${destination.prefix ?? ''}${destination.publicBaseUrl ? ` as ${destination.publicBaseUrl}` : ''}`;
}

function verdictRecord(facts: MediaFacts, verdict: ComplianceVerdict): ManifestVerdict {
  return { ok: verdict.ok, description: describeFacts(facts), violations: verdict.violations, warnings: verdict.warnings };
}

/**
 * `wavid run`: check, fix and (when a destination is given) publish every video of a folder. The
 * manifest is rewritten atomically after every file, so an interrupted run loses nothing that finished;
 * the next run skips inputs whose bytes, profile and wavid version are unchanged and whose outputs are
 * still there, and renews links or media ids about to expire. The report is written at the end, also
 * after a cancel.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const now = options.now ?? Date.now;
  const outDir = options.outDir;
  if (isInside(outDir, options.folder)) throw new TypeError(`the output folder ${outDir} is inside ${options.folder}; its outputs would be read as inputs`);
  const inputs = await collectInputs([options.folder]);
  options.onInputs?.(inputs);
  const outputs = outputPathsFor(inputs, outDir);
  await mkdir(join(outDir, THUMBNAIL_DIR), { recursive: true });

  const manifestPath = join(outDir, MANIFEST_JSON);
  const csvPath = join(outDir, MANIFEST_CSV);
  const reportPath = join(outDir, REPORT_HTML);
  const previous = parseManifest(await readFile(manifestPath, 'utf8').catch(() => ''));
  const settings: RunSettings = {
    wavidVersion: options.wavidVersion,
    profile: options.profile.name,
    maxSizeBytes: options.profile.maxSizeBytes,
    h264Profile: options.h264Profile ?? 'main',
  };
  const present = new Set(inputs.map((input) => input.relativePath));
  // Entries of inputs no longer in the folder go: the manifest describes the folder as it is.
  let manifest: Manifest = { ...settings, updatedAt: new Date(now()).toISOString(), entries: (previous?.entries ?? []).filter((entry) => present.has(entry.input)) };

  let saving: Promise<void> = Promise.resolve();
  const save = (entry: ManifestEntry) => {
    manifest = { ...manifest, updatedAt: new Date(now()).toISOString(), entries: upsertEntry(manifest.entries, entry) };
    const snapshot = manifest;
    saving = saving.then(async () => {
      await writeFileAtomic(manifestPath, `${JSON.stringify(snapshot, null, 2)}\n`);
      await writeFileAtomic(csvPath, manifestCsv(snapshot));
    });
    return saving;
  };

  const outcomes = new Map<string, CampaignOutcome>();
  const target = deliveryTarget(options.destination);
  const threads = x264ThreadsFor(Math.min(options.concurrency, Math.max(1, inputs.length)));
  const work = mapConcurrent(inputs, { concurrency: options.concurrency, signal: options.signal }, async (input, index, signal) => {
    options.onStart?.(input.path);
    const activity = (value: FileActivity) => options.onActivity?.(input.path, value);
    const output = outputs[index] ?? resolve(outDir, 'out.mp4');
    const outputName = relative(outDir, output);

    activity({ label: 'hash', fraction: 0, speed: null });
    const { sha256, sizeBytes } = await hashFile(input.path, { signal });
    const earlier = previous?.entries.find((entry) => entry.input === input.relativePath);
    const outputStats = earlier?.output ? await stat(join(outDir, earlier.output)).catch(() => null) : null;
    const decision = reuseDecision(earlier, {
      sha256,
      settings,
      previousSettings: previous,
      outputPresent: outputStats !== null && outputStats.size === earlier?.outputSizeBytes,
      deliveryTarget: target,
      now: now(),
    });

    let entry: ManifestEntry;
    let outcome: CampaignOutcome;
    if (decision === 'skip' && earlier) {
      [entry, outcome] = [earlier, 'skipped'];
    } else if (decision === 'renew-delivery' && earlier?.output && options.destination) {
      activity({ label: 'publish', fraction: 0, speed: null });
      const delivery = await deliverRecord(join(outDir, earlier.output), options, target, signal).catch((error: unknown) => {
        if (signal.aborted) throw error;
        return errorRecord(error);
      });
      entry = 'code' in delivery ? { ...earlier, error: delivery, completedAt: new Date(now()).toISOString() } : { ...earlier, delivery, completedAt: new Date(now()).toISOString() };
      outcome = 'code' in delivery ? 'failed' : 'renewed';
    } else {
      const base: ManifestEntry = {
        input: input.relativePath, sha256, sizeBytes, action: null, reasons: [], output: null, outputSizeBytes: null, attempts: 0,
        before: null, after: null, delivery: null, error: null, completedAt: '',
      };
      try {
        const result = await prepare(input.path, {
          output,
          profile: options.profile,
          destination: options.destination,
          h264Profile: options.h264Profile,
          threads,
          env: options.env,
          signal,
          onProgress: (event) => activity(prepareActivity(event)),
        });
        entry = {
          ...base,
          action: result.action,
          reasons: result.reasons,
          output: outputName,
          outputSizeBytes: result.sizeBytes,
          attempts: result.attempts,
          before: verdictRecord(result.inputFacts, result.before),
          after: verdictRecord(result.outputFacts, result.verdict),
          delivery: deliveryOf(result, target),
          completedAt: new Date(now()).toISOString(),
        };
        outcome = 'done';
      } catch (error) {
        if (signal.aborted) throw error;
        const facts = await probe(input.path, { signal }).catch(() => null);
        const written = await stat(output).then((stats) => stats.size).catch(() => null);
        entry = {
          ...base,
          before: facts ? verdictRecord(facts, checkCompliance(facts, options.profile)) : null,
          // The fix may have succeeded and the publish failed: the output is then kept and recorded.
          output: written === null ? null : outputName,
          outputSizeBytes: written,
          error: errorRecord(error),
          completedAt: new Date(now()).toISOString(),
        };
        outcome = 'failed';
      }
    }
    if (outcome !== 'skipped') {
      activity({ label: 'thumbnail', fraction: null, speed: null });
      await thumbnail(entry, outDir, signal);
    }
    await save(entry);
    outcomes.set(entry.input, outcome);
    options.onEntry?.(input.path, entry, outcome);
    return entry;
  });

  // Entries are recorded as they complete; the loop only drives the work and catches a cancel.
  const failure: { error?: unknown } = {};
  try {
    for await (const entry of work) outcomes.set(entry.input, outcomes.get(entry.input) ?? 'done');
  } catch (error) {
    failure.error = error ?? new Error('cancelled');
  }
  await saving;
  if (manifest.entries.length > 0 || previous) {
    await writeFileAtomic(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFileAtomic(csvPath, manifestCsv(manifest));
  }
  await writeFileAtomic(reportPath, reportHtml({ manifest, thumbnails: await readThumbnails(manifest, outDir), generatedAt: new Date(now()).toISOString() }));
  if ('error' in failure) throw failure.error;
  return { manifest, outcomes, manifestPath, csvPath, reportPath };
}

function prepareActivity(event: PrepareProgress): FileActivity {
  if (event.fix) return fixActivity(event.fix);
  return { label: event.stage, fraction: event.fraction, speed: null };
}

function deliveryOf(result: { link?: string; mediaId?: string; expiresAt?: string | null }, target: string | null): ManifestDelivery | null {
  if (target === null) return null;
  if (result.mediaId !== undefined) return { kind: 'media-id', target, link: null, mediaId: result.mediaId, expiresAt: result.expiresAt ?? null };
  if (result.link !== undefined) return { kind: 'link', target, link: result.link, mediaId: null, expiresAt: result.expiresAt ?? null };
  return null;
}

async function deliverRecord(path: string, options: CampaignOptions, target: string | null, signal: AbortSignal): Promise<ManifestDelivery> {
  if (!options.destination || target === null) throw new Error('no destination to deliver to');
  const delivered = await deliver(path, options.destination, { profile: options.profile, env: options.env, signal });
  const delivery = deliveryOf(delivered, target);
  if (!delivery) throw new Error('the destination returned neither a link nor a media id');
  return delivery;
}

function thumbnailPath(outDir: string, entry: ManifestEntry): string {
  return join(outDir, THUMBNAIL_DIR, `${entry.sha256}.jpg`);
}

/** The first frame of the output (or of the input when there is none), as WhatsApp shows it. Best effort. */
async function thumbnail(entry: ManifestEntry, outDir: string, signal: AbortSignal): Promise<void> {
  const source = entry.output ? join(outDir, entry.output) : null;
  if (!source) return;
  await extractThumbnail({ input: source, output: thumbnailPath(outDir, entry), signal }).catch(() => undefined);
}

async function readThumbnails(manifest: Manifest, outDir: string): Promise<Map<string, Uint8Array>> {
  const pictures = new Map<string, Uint8Array>();
  for (const entry of manifest.entries) {
    const bytes = await readFile(thumbnailPath(outDir, entry)).catch(() => null);
    if (bytes) pictures.set(entry.input, bytes);
  }
  return pictures;
}
