import type { ComplianceProfile, ComplianceVerdict, MediaFacts } from '@wavid/probe';
import type { S3Client } from '@aws-sdk/client-s3';
import type { ProviderName } from '@wavid/publish';
import type { FixProgress, RemediationAction } from '@wavid/transcode';

/** What the one-video pipeline hands back; the shape of the library's `prepare` result. */
export interface PreparedVideo {
  action: RemediationAction;
  reasons: string[];
  before: ComplianceVerdict;
  verdict: ComplianceVerdict;
  inputFacts: MediaFacts;
  outputFacts: MediaFacts;
  sizeBytes: number;
  attempts: number;
}

/** The one progress event of the library pipeline: the stage, the fix's own event, a fraction. */
export interface PipelineProgress {
  stage: string;
  fix: FixProgress | null;
  fraction: number | null;
}

export type PipelineDestination =
  | { kind: 'link'; bucket: string; prefix?: string | undefined; endpoint?: string | undefined; region?: string | undefined; expiresInSeconds?: number | undefined; publicBaseUrl?: string | undefined; client?: S3Client | undefined }
  | { kind: 'media-id'; provider: ProviderName; baseUrl?: string | undefined };

/**
 * The library calls a worker runs: fix one video, publish one file. Passed in, so the queue sits above the
 * library without the library knowing of it, and a benchmark can measure the queue with a no-op pipeline.
 */
export interface VideoPipeline {
  prepare(
    input: string,
    options: {
      output: string;
      profile: ComplianceProfile;
      h264Profile: 'main' | 'baseline';
      threads: number;
      signal: AbortSignal;
      onProgress: (event: PipelineProgress) => void;
    },
  ): Promise<PreparedVideo>;
  deliver(
    path: string,
    destination: PipelineDestination,
    context: { profile: ComplianceProfile; env?: Readonly<Record<string, string | undefined>> | undefined; signal?: AbortSignal | undefined },
  ): Promise<{ link?: string; mediaId?: string; expiresAt: string | null }>;
}
