import type { ComplianceProfile } from '@wavid/probe';
import type { InputFile } from '../inputs/collect-inputs.js';
import type { PrepareOptions, PrepareResult } from '../prepare.js';
import type { Delivery, Destination } from '../send-prepared-video.js';
import type { ErrorRecord } from '../error-record.js';
import type { ProgressEvent } from '@wavid/foundation';
import type { Manifest, ManifestDelivery, ManifestEntry } from '../result-store/manifest.js';

/** How an input was handled in this run. */
export type CampaignOutcome = 'done' | 'skipped' | 'renewed' | 'failed';

/** Inputs that are not files of a local folder (objects of a bucket): listed already, read by their own reader. */
export interface InputSource {
  inputs: readonly InputFile[];
  hash(input: InputFile, signal?: AbortSignal): Promise<{ sha256: string; sizeBytes: number }>;
}

/** Where outputs are when not in `outDir` (a bucket): their state now, for the decision to skip or redo. */
export type OutputStateReader = (output: string, signal?: AbortSignal) => Promise<{ sizeBytes: number; modifiedMs: number } | null>;

export interface CampaignOptions {
  /** The folder walked for inputs; with `source`, only a name for the inputs' origin. */
  folder: string;
  /** Inputs from elsewhere than a local folder. Default: the video files below `folder`. */
  source?: InputSource | undefined;
  /** Outputs kept elsewhere than in `outDir`, which then holds only the manifest, thumbnails and report. */
  outputState?: OutputStateReader | undefined;
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
  /** What each running input is doing, with `file` set to its path. */
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  onEntry?: ((input: string, entry: ManifestEntry, outcome: CampaignOutcome) => void) | undefined;
  /** Renders `report.html`, written at the end (also after a cancel). Without it no report is written. */
  renderReport?: ((input: ReportInput) => string) | undefined;
  /**
   * The one-video step. Default: `prepare`, on this machine. A job queue passes its own, so the same run,
   * manifest and report have their work done by workers elsewhere.
   */
  prepareVideo?: ((input: string, options: PrepareOptions) => Promise<PrepareResult & { published?: PublishedByStep | undefined }>) | undefined;
  /**
   * The renewal step: publishes again the output made earlier for an input, for a delivery about to expire
   * or one that failed. Default: the output in `outDir` is published from this machine. A job queue passes
   * its own, so a worker publishes the output it keeps, with its credentials. A throw is recorded as the
   * entry's delivery error.
   */
  republishOutput?: ((input: string, options: RepublishOptions) => Promise<PublishedByStep>) | undefined;
}

/** What the renewal step is told: the rules the output was made under and the delivery it replaces. */
export interface RepublishOptions {
  profile: ComplianceProfile;
  h264Profile: 'main' | 'baseline';
  /** The delivery recorded before; null when publishing failed. */
  replaces: ManifestDelivery | null;
  signal: AbortSignal;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
}

/**
 * How a one-video step that also publishes did so: a worker that already holds the output in the bucket
 * publishes it there, so the run does not upload each output a second time.
 */
export interface PublishedByStep {
  delivery: Delivery | null;
  /** Why publishing failed for good; the output is kept. */
  deliveryError: ErrorRecord | null;
}

/** What a report of a run is made from. */
export interface ReportInput {
  manifest: Manifest;
  /** JPEG bytes of each output's first frame, by input path; missing ones show a placeholder. */
  thumbnails: ReadonlyMap<string, Uint8Array>;
  generatedAt: string;
}

export interface CampaignResult {
  manifest: Manifest;
  /** Entries of the previous manifest that were dropped as malformed or naming an output outside the folder; their inputs were done again. */
  droppedEntries: number;
  outcomes: ReadonlyMap<string, CampaignOutcome>;
  manifestPath: string;
  csvPath: string;
  reportPath: string;
}
