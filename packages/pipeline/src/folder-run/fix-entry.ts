import { relative } from 'node:path';
import type { ProgressEvent } from '@wavid/foundation';
import { checkCompliance, describeFacts, probe, type ComplianceVerdict, type MediaFacts } from '@wavid/probe';
import { errorRecord } from '../error-record.js';
import type { InputFile } from '../inputs/collect-inputs.js';
import { outputRefusal, type InputIdentities } from '../inputs/input-guard.js';
import { prepare } from '../prepare.js';
import type { ManifestEntry, ManifestVerdict, RunSettings } from '../result-store/manifest.js';
import { outputState } from './output-state.js';
import { manifestDelivery, publishOutput } from './publish-output.js';
import type { CampaignOptions, PublishedByStep } from './campaign-options.js';

export function verdictRecord(facts: MediaFacts, verdict: ComplianceVerdict): ManifestVerdict {
  return { ok: verdict.ok, description: describeFacts(facts), violations: verdict.violations, warnings: verdict.warnings };
}

export interface MakeEntry {
  input: InputFile;
  output: string;
  sha256: string;
  sizeBytes: number;
  settings: RunSettings;
  options: CampaignOptions;
  threads: number;
  signal: AbortSignal;
  progress: (event: ProgressEvent) => void;
  stamp: () => string;
  target: string | null;
  /** Every input of the run (see `inputIdentities`): an output that is one of them is never written. */
  inputs: InputIdentities;
}

/** Step: fixes one input, then publishes it when a destination is given; a publish failure keeps the fix. */
export async function makeEntry(job: MakeEntry): Promise<ManifestEntry> {
  const { options, signal } = job;
  const outputName = relative(options.outDir, job.output);
  const base: ManifestEntry = {
    input: job.input.relativePath, sha256: job.sha256, sizeBytes: job.sizeBytes, settings: job.settings, action: null, reasons: [],
    output: null, outputSizeBytes: null, outputModifiedMs: null, attempts: 0, before: null, after: null, error: null,
    delivery: null, deliveryError: null, completedAt: '',
  };
  const refusal = await outputRefusal({ output: job.output, outDir: options.outDir, inputs: job.inputs });
  if (refusal) return { ...base, error: { ...refusal, recovery: 'give-up' }, completedAt: job.stamp() };
  let entry: ManifestEntry;
  let published: PublishedByStep | undefined;
  const prepareVideo: NonNullable<CampaignOptions['prepareVideo']> = options.prepareVideo ?? prepare;
  try {
    const result = await prepareVideo(job.input.path, {
      output: job.output,
      profile: options.profile,
      h264Profile: options.h264Profile,
      threads: job.threads,
      signal,
      onProgress: job.progress,
    });
    published = result.published;
    entry = {
      ...base,
      action: result.action,
      reasons: result.reasons,
      output: outputName,
      outputSizeBytes: result.sizeBytes,
      outputModifiedMs: (await (options.outputState ? options.outputState(outputName, signal) : outputState(options.outDir, outputName)))?.modifiedMs ?? null,
      attempts: result.attempts,
      before: verdictRecord(result.inputFacts, result.before),
      after: verdictRecord(result.outputFacts, result.verdict),
    };
  } catch (error) {
    if (signal.aborted) throw error;
    // An input from a bucket has no local file to look at: its path (s3://...) would name one below the working folder.
    const facts = options.source ? null : await probe(job.input.path, { signal }).catch(() => null);
    return { ...base, before: facts ? verdictRecord(facts, checkCompliance(facts, options.profile)) : null, error: errorRecord(error), completedAt: job.stamp() };
  }
  if (published && job.target !== null) {
    // The step published the output where it already was: recorded as it came back, not uploaded again.
    entry.delivery = published.delivery ? manifestDelivery(published.delivery, job.target) : null;
    entry.deliveryError = published.deliveryError;
  } else if (options.destination) {
    job.progress({ stage: 'publish', fraction: 0 });
    Object.assign(entry, await publishOutput(job.output, options, job.target, signal));
  }
  return { ...entry, completedAt: job.stamp() };
}
