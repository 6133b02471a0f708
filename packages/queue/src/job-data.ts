import type { ComplianceVerdict, MediaFacts } from '@wavid/probe';
import type { RemediationAction } from '@wavid/transcode';

/** The BullMQ queue every wavid worker and coordinator uses, unless told otherwise. */
export const DEFAULT_QUEUE_NAME = 'wavid-prepare';

/** Version of the job payload and result; a worker refuses payloads of another format. */
export const JOB_FORMAT = 1;

/** An object in the bucket, named by the SHA-256 of its bytes. */
export interface StoredObject {
  bucket: string;
  key: string;
  sha256: string;
  sizeBytes: number;
}

/** The rules an output is made under. Part of the job id: other settings make another job. */
export interface VideoJobSettings {
  /** Compliance profile name (`whatsapp`, `whatsapp-status`). */
  profile: string;
  maxSizeBytes: number;
  h264Profile: 'main' | 'baseline';
  wavidVersion: string;
}

/** Where a worker publishes the output; secrets never travel in a job, each worker has its own. */
export type QueuedDestination =
  | { kind: 'link'; bucket: string; prefix: string | null; expiresInSeconds: number | null; publicBaseUrl: string | null }
  | { kind: 'media-id'; provider: string; baseUrl: string | null };

/** A failure as the manifest keeps it. */
export interface FailureRecord {
  code: string;
  message: string;
}

/** A delivery a renewal replaces, as the run recorded it; null when publishing failed before. */
export interface RenewedDelivery {
  link: string | null;
  mediaId: string | null;
  expiresAt: string | null;
}

/** What a job carries: JSON, small (a few hundred bytes), and free of secrets. */
export interface VideoJobData {
  /** {@link JOB_FORMAT} when written; read back from Redis, it may be another wavid's. */
  format: number;
  /** The input's file name, for messages and the output's extension; not a path on any machine. */
  name: string;
  input: StoredObject;
  settings: VideoJobSettings;
  /** Outputs go to `<prefix>/outputs/<sha256>.mp4` in this bucket, results to `<prefix>/jobs/<job id>.json`. */
  outputs: { bucket: string; prefix: string };
  destination: QueuedDestination | null;
  /**
   * Set on a renewal: publish again the output the job `of` made (made anew only when it is gone from the
   * bucket), in place of the delivery `replaces`. A job of its own, so the first job's result is not reused.
   */
  republish?: { of: string; replaces: RenewedDelivery | null } | undefined;
  /** Written by a worker when an attempt fails: the stage's code, and whether trying again can help. */
  lastFailure?: (FailureRecord & { final: boolean }) | undefined;
}

/** A verdict with the facts it was given on; `facts.path` is the input's name, not a worker's file. */
export interface QueuedVerdict {
  facts: MediaFacts;
  verdict: ComplianceVerdict;
}

/** What a finished job returns, and what is kept beside the output in the bucket. */
export interface VideoJobResult {
  format: typeof JOB_FORMAT;
  /** The job that made the output: for a renewal, the job it republishes. */
  jobId: string;
  name: string;
  input: StoredObject;
  output: StoredObject;
  action: RemediationAction;
  reasons: string[];
  /** Encodes run (0 for a copy). */
  attempts: number;
  before: QueuedVerdict;
  after: QueuedVerdict;
  delivery: { link: string | null; mediaId: string | null; expiresAt: string | null } | null;
  /** Why publishing failed for good; the output is kept. */
  deliveryError: FailureRecord | null;
  /** True when the output was found in the bucket and not made again. */
  reused: boolean;
}

