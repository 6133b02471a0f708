import { InvalidOptionError, type ProgressEvent } from '@wavid/foundation';
import { basename, dirname, extname, join } from 'node:path';
import { checkCompliance, resolveProfile, type ComplianceProfile, type ComplianceVerdict, type MediaFacts, type ProfileName } from '@wavid/probe';
import { fixVideo, outputExtensionFor, type RemediationAction } from '@wavid/transcode';
import { deliver, type Destination } from './send-prepared-video.js';

export interface PrepareOptions {
  /** Where the compliant file goes. Default: beside the input, as `<name>.whatsapp.mp4` (`.3gp` for a 3GP input). */
  output?: string | undefined;
  /** Default: `whatsapp` (16,000,000 bytes). */
  profile?: ProfileName | ComplianceProfile | undefined;
  /** Overrides the profile's size cap. */
  maxSizeBytes?: number | undefined;
  /** Publish the result: a bucket link or a provider media id. Default: none. */
  destination?: Destination | undefined;
  /** H.264 profile of a new encode. Default `main`. */
  h264Profile?: 'main' | 'baseline' | undefined;
  /** x264 threads. Default 0: all cores. */
  threads?: number | undefined;
  /** Environment for credentials and endpoints. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  signal?: AbortSignal | undefined;
  /** The fix's events (`probe`, `fix`, `verify`), then with a destination the publish's (`publish`, `hash`, `upload`). */
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  /** Clock for the expiry of a link or media id. Default: `Date.now`. */
  now?: (() => number) | undefined;
}

export interface PrepareResult {
  input: string;
  output: string;
  action: RemediationAction;
  /** Why that action, one line per decision. */
  reasons: string[];
  /** The input's verdict. */
  before: ComplianceVerdict;
  /** The output's verdict: it complies, or `prepare` would have thrown. */
  verdict: ComplianceVerdict;
  inputFacts: MediaFacts;
  outputFacts: MediaFacts;
  sizeBytes: number;
  /** Encodes run (0 for a copy). */
  attempts: number;
  link?: string;
  mediaId?: string;
  /** When the link or media id stops working (ISO time); null when it does not expire. */
  expiresAt?: string | null;
}

/** The default output: `clip.mov` becomes `clip.whatsapp.mp4` in the same folder, `clip.3gp` stays 3GP as `clip.whatsapp.3gp`. */
export function defaultOutputPath(input: string): string {
  const name = basename(input, extname(input));
  return join(dirname(input), `${name}.whatsapp${outputExtensionFor(input)}`);
}

function resolvePrepareProfile(options: PrepareOptions): ComplianceProfile {
  const profile = options.profile ?? 'whatsapp';
  if (typeof profile !== 'string') {
    return options.maxSizeBytes === undefined ? profile : { ...profile, maxSizeBytes: options.maxSizeBytes };
  }
  return resolveProfile(profile, { maxSizeBytes: options.maxSizeBytes });
}

function checkDestination(destination: Destination | undefined): void {
  if (destination === undefined) return;
  // Callers from JavaScript can pass anything: check the shape the types promise.
  const kind: string = destination.kind;
  if (kind !== 'link' && kind !== 'media-id') {
    throw new InvalidOptionError('destination.kind', (option) => `${option('destination.kind')} must be 'link' or 'media-id'; got '${kind}'`);
  }
  if (destination.kind === 'link' && !destination.bucket) throw new InvalidOptionError('destination.bucket', (option) => `${option('destination.bucket')} must name a bucket`);
}

/**
 * Everything an application needs right before it sends one video: probe it, fix it when needed (copy,
 * remux or transcode), and optionally publish it as a link or a provider media id. Rejects with the
 * stages' typed errors: InvalidOptionError for a bad option (before any work), TranscodeError (`cannot-fit`, `unreadable`...), PublishError or ProviderError.
 */
export async function prepare(input: string, options: PrepareOptions = {}): Promise<PrepareResult> {
  if (typeof input !== 'string' || input === '') throw new InvalidOptionError('input', (option) => `${option('input')} must be the path of a video file`);
  const profile = resolvePrepareProfile(options);
  checkDestination(options.destination);
  const output = options.output ?? defaultOutputPath(input);

  const fixed = await fixVideo({
    input,
    output,
    profile,
    h264Profile: options.h264Profile,
    threads: options.threads,
    signal: options.signal,
    onProgress: options.onProgress,
  });
  const result: PrepareResult = {
    input,
    output,
    action: fixed.action,
    reasons: fixed.plan.decisions.map((decision) => decision.reason),
    before: checkCompliance(fixed.before, profile),
    verdict: fixed.afterVerdict,
    inputFacts: fixed.before,
    outputFacts: fixed.after,
    sizeBytes: fixed.sizeBytes,
    attempts: fixed.attempts,
  };
  if (options.destination) Object.assign(result, await deliver(output, options.destination, { profile, env: options.env, signal: options.signal, onProgress: options.onProgress, now: options.now }));
  return result;
}
