import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { hashFile } from '@wavid/publish/without-store';
import { x264ThreadsFor } from '../concurrency.js';
import { collectInputs } from '../inputs/collect-inputs.js';
import { inputIdentities, refuseOutDirInsideInputs } from '../inputs/input-guard.js';
import { outputPathsFor } from '../inputs/output-paths.js';
import { mapConcurrent } from '../map-concurrent.js';
import type { ProgressEvent } from '@wavid/foundation';
import { reuseDecision, type ManifestEntry, type RunSettings } from '../result-store/manifest.js';
import type { CampaignOptions, CampaignOutcome, CampaignResult } from './campaign-options.js';
import { writeFileAtomic } from '../result-store/write-file-atomic.js';
import { makeEntry } from './fix-entry.js';
import { removeLeftovers } from './leftovers.js';
import { REPORT_HTML } from '../inputs/reserved-names.js';
import { ManifestStore } from './manifest-store.js';
import { outputState } from './output-state.js';
import { deliveryTarget, republishOutput } from './publish-output.js';
import { makeThumbnail, readThumbnails, THUMBNAIL_DIR } from './thumbnails.js';

export { REPORT_HTML } from '../inputs/reserved-names.js';

/** The entry of an input whose bytes cannot be read: error code `unreadable-input`. */
function unreadableEntry(input: string, settings: RunSettings, error: unknown, completedAt: string): ManifestEntry {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    input, sha256: '', sizeBytes: 0, settings, action: null, reasons: [], output: null, outputSizeBytes: null, outputModifiedMs: null,
    attempts: 0, before: null, after: null, error: { code: 'unreadable-input', message: `the input cannot be read: ${reason}`, recovery: 'retry' },
    delivery: null, deliveryError: null, completedAt,
  };
}

/**
 * `wavid run`: check, fix and (when a destination is given) publish every video of a folder. The
 * manifest is rewritten atomically after every file, so an interrupted run loses nothing that finished;
 * the next run skips inputs whose bytes and settings are unchanged and whose outputs are as written,
 * only publishes again what failed to publish or is about to expire, and removes what a killed run
 * left half-written. The report is written at the end, also after a cancel.
 *
 * The steps, each in its own module of this folder: walk the folder (collectInputs, outputPathsFor),
 * remove leftovers (leftovers.ts), load the manifest (manifest-store.ts), then per input: hash, decide
 * on reuse (reuseDecision, output-state.ts), fix (fix-entry.ts), publish (publish-output.ts), make the
 * thumbnail (thumbnails.ts), save the entry; at the end the report.
 *
 * An output folder inside the input folder (also through links) is refused before any work: an
 * InvalidOptionError `outDir`, as `prepareFolder` throws.
 */
export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const now = options.now ?? Date.now;
  const outDir = options.outDir;
  const source = options.source;
  if (!source) await refuseOutDirInsideInputs(outDir, options.folder);

  // Walk the folder (or take the inputs listed elsewhere, which no local output can be).
  const inputs = source ? [...source.inputs] : await collectInputs([options.folder]);
  options.onInputs?.(inputs);
  const outputs = outputPathsFor(inputs, outDir);
  // Inputs listed in a bucket are never local files an output could replace.
  const inputIdentitiesOfRun = source ? { ids: new Set<string>(), paths: new Set<string>() } : await inputIdentities(inputs.map((input) => input.path));
  const stateOf = options.outputState ?? ((output: string) => outputState(outDir, output));

  // Prepare the output folder: what a killed run left half-written goes.
  await mkdir(join(outDir, THUMBNAIL_DIR), { recursive: true });
  await removeLeftovers(outDir, outputs, options.signal);

  // Load the result store.
  const settings: RunSettings = {
    wavidVersion: options.wavidVersion,
    profile: options.profile.name,
    maxSizeBytes: options.profile.maxSizeBytes,
    h264Profile: options.h264Profile ?? 'main',
  };
  const store = new ManifestStore(outDir, settings, now);
  await store.load(new Set(inputs.map((input) => input.relativePath)));
  const reportPath = join(outDir, REPORT_HTML);

  const outcomes = new Map<string, CampaignOutcome>();
  const target = deliveryTarget(options.destination, options.env ?? process.env);
  const threads = x264ThreadsFor(Math.min(options.concurrency, Math.max(1, inputs.length)));
  const work = mapConcurrent(inputs, { concurrency: options.concurrency, signal: options.signal }, async (input, index, signal) => {
    options.onStart?.(input.path);
    const progress = (event: ProgressEvent) => options.onProgress?.({ ...event, file: input.path });
    const output = outputs[index] ?? resolve(outDir, 'out.mp4');
    const stamp = () => new Date(now()).toISOString();

    progress({ stage: 'hash', loaded: null, total: null, fraction: 0 });
    const hashed = await (source ? source.hash(input, signal) : hashFile(input.path, { signal })).catch((error: unknown) => {
      if (signal.aborted) throw error;
      return unreadableEntry(input.relativePath, settings, error, stamp());
    });
    if ('input' in hashed) {
      // An input that cannot be read (permissions, a folder that cannot be listed) fails alone.
      await store.save(hashed);
      outcomes.set(hashed.input, 'failed');
      options.onEntry?.(input.path, hashed, 'failed');
      return hashed;
    }
    const { sha256, sizeBytes } = hashed;
    const earlier = store.earlier(input.relativePath);
    const decision = reuseDecision(earlier, { sha256, settings, output: earlier?.output ? await stateOf(earlier.output, signal) : null, deliveryTarget: target, now: now() });

    let entry: ManifestEntry;
    let outcome: CampaignOutcome;
    if (decision === 'skip' && earlier) {
      [entry, outcome] = [earlier, 'skipped'];
    } else if (decision === 'renew-delivery' && earlier?.output && options.destination) {
      progress({ stage: 'publish', fraction: 0 });
      const delivered = await republishOutput({ input: input.path, earlier: { ...earlier, output: earlier.output }, options, target, signal, progress });
      // A failed renewal keeps the old link or id (it may still work a while) and only publishing is tried next time.
      entry = { ...earlier, ...delivered, delivery: delivered.delivery ?? earlier.delivery, completedAt: stamp() };
      outcome = delivered.deliveryError ? 'failed' : 'renewed';
    } else {
      entry = await makeEntry({ input, output, sha256, sizeBytes, settings, options, threads, signal, progress, stamp, target, inputs: inputIdentitiesOfRun });
      outcome = entry.error || entry.deliveryError ? 'failed' : 'done';
    }
    progress({ stage: 'thumbnail', fraction: null });
    await makeThumbnail(entry, source ? null : input.path, outDir, signal, outcome !== 'skipped');
    await store.save(entry);
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

  // The report, also after a cancel.
  await store.flush();
  const manifest = store.manifest;
  if (options.renderReport) {
    await writeFileAtomic(reportPath, options.renderReport({ manifest, thumbnails: await readThumbnails(manifest, outDir), generatedAt: new Date(now()).toISOString() }));
  }
  if ('error' in failure) throw failure.error;
  return { manifest, droppedEntries: store.dropped, outcomes, manifestPath: store.jsonPath, csvPath: store.csvPath, reportPath };
}
