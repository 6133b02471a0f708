import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { checkCompliance, probe, type ComplianceProfile, type ComplianceVerdict, type MediaFacts } from '@wavid/probe';
import { getProvider, hashFile, redactUrls } from '@wavid/publish';
import { extractThumbnail } from '@wavid/transcode';
import { collectInputs, type InputFile } from '../collect-inputs.js';
import { isInside, outputPathsFor } from '../fix/output-paths.js';
import { fixActivity, type FileActivity } from '../fix/progress-view.js';
import { describeFacts } from '../report/check-report.js';
import { reportHtml } from '../report/report-html.js';
import { x264ThreadsFor } from './concurrency.js';
import { errorRecord, type ErrorRecord } from './error-record.js';
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
/** Temporary files of writes that a killed run never finished: `.name.<random>.partial.mp4`, `.name.<random>.tmp`. */
const LEFTOVER = /^\..+\.[0-9a-f]{8}\.(partial\.(mp4|jpg)|tmp)$/;

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

/**
 * A name for where deliveries go, so a change of bucket, endpoint, provider or account renews them.
 * Only values that are not secret go into it: it is written to the manifest.
 */
export function deliveryTarget(destination: Destination | undefined, env: Readonly<Record<string, string | undefined>> = {}): string | null {
  if (!destination) return null;
  if (destination.kind === 'media-id') {
    const provider = getProvider(destination.provider);
    const account = Object.entries(provider.credentials as Record<string, { env: string; secret: boolean }>)
      .filter(([, spec]) => !spec.secret)
      .map(([key, spec]) => `${key}=${destination.credentials?.[key] ?? env[spec.env] ?? ''}`)
      .join('&');
    return `${provider.name}:${redactUrls(destination.baseUrl ?? 'default')}?${account}`;
  }
  const endpoint = destination.endpoint ?? env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL ?? 'aws';
  const publicUrl = destination.publicBaseUrl ? ` as ${destination.publicBaseUrl}` : '';
  return redactUrls(`s3://${destination.bucket}/${destination.prefix ?? ''} at ${endpoint}${publicUrl}`);
}

function verdictRecord(facts: MediaFacts, verdict: ComplianceVerdict): ManifestVerdict {
  return { ok: verdict.ok, description: describeFacts(facts), violations: verdict.violations, warnings: verdict.warnings };
}

/**
 * `wavid run`: check, fix and (when a destination is given) publish every video of a folder. The
 * manifest is rewritten atomically after every file, so an interrupted run loses nothing that finished;
 * the next run skips inputs whose bytes and settings are unchanged and whose outputs are as written,
 * only publishes again what failed to publish or is about to expire, and removes what a killed run
 * left half-written. The report is written at the end, also after a cancel.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const now = options.now ?? Date.now;
  const outDir = options.outDir;
  if (isInside(outDir, options.folder)) throw new TypeError(`the output folder ${outDir} is inside ${options.folder}; its outputs would be read as inputs`);
  const inputs = await collectInputs([options.folder]);
  options.onInputs?.(inputs);
  const outputs = outputPathsFor(inputs, outDir);
  await mkdir(join(outDir, THUMBNAIL_DIR), { recursive: true });
  await removeLeftovers(outDir);

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
  let manifest: Manifest = { settings, updatedAt: new Date(now()).toISOString(), entries: (previous?.entries ?? []).filter((entry) => present.has(entry.input)) };

  let saving: Promise<void> = Promise.resolve();
  const save = (entry: ManifestEntry) => {
    manifest = { ...manifest, updatedAt: new Date(now()).toISOString(), entries: upsertEntry(manifest.entries, entry) };
    const snapshot = manifest;
    saving = saving.then(() => writeManifest(snapshot, manifestPath, csvPath));
    return saving;
  };

  const outcomes = new Map<string, CampaignOutcome>();
  const target = deliveryTarget(options.destination, options.env ?? process.env);
  const threads = x264ThreadsFor(Math.min(options.concurrency, Math.max(1, inputs.length)));
  const work = mapConcurrent(inputs, { concurrency: options.concurrency, signal: options.signal }, async (input, index, signal) => {
    options.onStart?.(input.path);
    const activity = (value: FileActivity) => options.onActivity?.(input.path, value);
    const output = outputs[index] ?? resolve(outDir, 'out.mp4');
    const stamp = () => new Date(now()).toISOString();

    activity({ label: 'hash', fraction: 0, speed: null });
    const { sha256, sizeBytes } = await hashFile(input.path, { signal });
    const earlier = previous?.entries.find((entry) => entry.input === input.relativePath);
    const decision = reuseDecision(earlier, { sha256, settings, output: await outputState(outDir, earlier?.output ?? null), deliveryTarget: target, now: now() });

    let entry: ManifestEntry;
    let outcome: CampaignOutcome;
    if (decision === 'skip' && earlier) {
      [entry, outcome] = [earlier, 'skipped'];
    } else if (decision === 'renew-delivery' && earlier?.output && options.destination) {
      activity({ label: 'publish', fraction: 0, speed: null });
      const delivered = await publishOutput(join(outDir, earlier.output), options, target, signal);
      // A failed renewal keeps the old link or id (it may still work a while) and only publishing is tried next time.
      entry = { ...earlier, ...delivered, delivery: delivered.delivery ?? earlier.delivery, completedAt: stamp() };
      outcome = delivered.deliveryError ? 'failed' : 'renewed';
    } else {
      entry = await makeEntry({ input, output, sha256, sizeBytes, settings, options, threads, signal, activity, stamp, target });
      outcome = entry.error || entry.deliveryError ? 'failed' : 'done';
    }
    activity({ label: 'thumbnail', fraction: null, speed: null });
    await thumbnail(entry, input.path, outDir, signal, outcome !== 'skipped');
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
  await writeManifest(manifest, manifestPath, csvPath);
  await writeFileAtomic(reportPath, reportHtml({ manifest, thumbnails: await readThumbnails(manifest, outDir), generatedAt: new Date(now()).toISOString() }));
  if ('error' in failure) throw failure.error;
  return { manifest, outcomes, manifestPath, csvPath, reportPath };
}

async function writeManifest(manifest: Manifest, jsonPath: string, csvPath: string): Promise<void> {
  await writeFileAtomic(jsonPath, `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFileAtomic(csvPath, manifestCsv(manifest));
}

/** Removes the temporary files of writes a killed run never finished. */
async function removeLeftovers(outDir: string): Promise<void> {
  const names = await readdir(outDir, { recursive: true }).catch(() => [] as string[]);
  for (const name of names) {
    const base = name.split(/[\\/]/).pop() ?? '';
    if (LEFTOVER.test(base)) await rm(join(outDir, name), { force: true });
  }
}

async function outputState(outDir: string, output: string | null): Promise<{ sizeBytes: number; modifiedMs: number } | null> {
  if (!output) return null;
  const stats = await stat(join(outDir, output)).catch(() => null);
  return stats?.isFile() ? { sizeBytes: stats.size, modifiedMs: stats.mtimeMs } : null;
}

interface MakeEntry {
  input: InputFile;
  output: string;
  sha256: string;
  sizeBytes: number;
  settings: RunSettings;
  options: CampaignOptions;
  threads: number;
  signal: AbortSignal;
  activity: (value: FileActivity) => void;
  stamp: () => string;
  target: string | null;
}

/** Fixes one input, then publishes it when a destination is given; a publish failure keeps the fix. */
async function makeEntry(job: MakeEntry): Promise<ManifestEntry> {
  const { options, signal } = job;
  const outputName = relative(options.outDir, job.output);
  const base: ManifestEntry = {
    input: job.input.relativePath, sha256: job.sha256, sizeBytes: job.sizeBytes, settings: job.settings, action: null, reasons: [],
    output: null, outputSizeBytes: null, outputModifiedMs: null, attempts: 0, before: null, after: null, error: null,
    delivery: null, deliveryError: null, completedAt: '',
  };
  let entry: ManifestEntry;
  try {
    const result = await prepare(job.input.path, {
      output: job.output,
      profile: options.profile,
      h264Profile: options.h264Profile,
      threads: job.threads,
      signal,
      onProgress: (event) => {
        job.activity(prepareActivity(event));
      },
    });
    entry = {
      ...base,
      action: result.action,
      reasons: result.reasons,
      output: outputName,
      outputSizeBytes: result.sizeBytes,
      outputModifiedMs: (await outputState(options.outDir, outputName))?.modifiedMs ?? null,
      attempts: result.attempts,
      before: verdictRecord(result.inputFacts, result.before),
      after: verdictRecord(result.outputFacts, result.verdict),
    };
  } catch (error) {
    if (signal.aborted) throw error;
    const facts = await probe(job.input.path, { signal }).catch(() => null);
    return { ...base, before: facts ? verdictRecord(facts, checkCompliance(facts, options.profile)) : null, error: errorRecord(error), completedAt: job.stamp() };
  }
  if (options.destination) {
    job.activity({ label: 'publish', fraction: 0, speed: null });
    Object.assign(entry, await publishOutput(job.output, options, job.target, signal));
  }
  return { ...entry, completedAt: job.stamp() };
}

function prepareActivity(event: PrepareProgress): FileActivity {
  if (event.fix) return fixActivity(event.fix);
  return { label: event.stage, fraction: event.fraction, speed: null };
}

/** Publishes a fixed output; a refusal is recorded, not thrown (a cancel is). */
async function publishOutput(
  path: string,
  options: CampaignOptions,
  target: string | null,
  signal: AbortSignal,
): Promise<{ delivery: ManifestDelivery | null; deliveryError: ErrorRecord | null }> {
  if (!options.destination || target === null) return { delivery: null, deliveryError: null };
  try {
    const delivered = await deliver(path, options.destination, { profile: options.profile, env: options.env, signal });
    const expiresAt = delivered.expiresAt;
    const delivery: ManifestDelivery = delivered.mediaId !== undefined
      ? { kind: 'media-id', target, link: null, mediaId: delivered.mediaId, expiresAt }
      : { kind: 'link', target, link: delivered.link ?? null, mediaId: null, expiresAt };
    return { delivery, deliveryError: null };
  } catch (error) {
    if (signal.aborted) throw error;
    return { delivery: null, deliveryError: errorRecord(error) };
  }
}

function thumbnailPath(outDir: string, entry: ManifestEntry): string {
  return join(outDir, THUMBNAIL_DIR, `${entry.sha256}.jpg`);
}

/**
 * The first frame as WhatsApp shows it: of the output, or of the input when there is none. Made again
 * for new work, and for a skipped entry only when its picture is missing. Best effort: a file that is not
 * readable media gets none (extractThumbnail refuses it), and the report shows a placeholder.
 */
async function thumbnail(entry: ManifestEntry, inputPath: string, outDir: string, signal: AbortSignal, fresh: boolean): Promise<void> {
  const path = thumbnailPath(outDir, entry);
  if (!fresh && (await stat(path).catch(() => null))) return;
  const source = entry.output ? join(outDir, entry.output) : inputPath;
  await extractThumbnail({ input: source, output: path, signal }).catch(() => rm(path, { force: true }));
}

async function readThumbnails(manifest: Manifest, outDir: string): Promise<Map<string, Uint8Array>> {
  const pictures = new Map<string, Uint8Array>();
  for (const entry of manifest.entries) {
    const bytes = await readFile(thumbnailPath(outDir, entry)).catch(() => null);
    if (bytes) pictures.set(entry.input, bytes);
  }
  return pictures;
}
