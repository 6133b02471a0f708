import { checkCompliance, probe, PROFILES, ProbeError, type ComplianceProfile, type ComplianceVerdict, type MediaFacts } from '@wavid/probe';
import { PublishError } from './errors.js';
import { requireFile } from './require-file.js';
import { videoContentType, type VideoContentType } from './video-content-type.js';

export interface GateVideoOptions {
  /** The video file. */
  path: string;
  /** Rules the file must meet. Default: the `whatsapp` profile. */
  profile?: ComplianceProfile | undefined;
  /** Let a file that does not comply through; its violations stay in the verdict. Default false. */
  force?: boolean | undefined;
  signal?: AbortSignal | undefined;
}

export interface GatedVideo {
  facts: MediaFacts;
  verdict: ComplianceVerdict;
  /** The type to store or upload it with, from its container. */
  contentType: VideoContentType;
}

/**
 * Probes a video and checks it against a profile before it is stored or sent. Throws InvalidOptionError (`path`)
 * when there is no such file, PublishError `read-failed` when it cannot be read, and PublishError `not-compliant`,
 * with its violations, when it does not comply and `force` is not set.
 */
export async function gateVideo(options: GateVideoOptions): Promise<GatedVideo> {
  const { path } = options;
  await requireFile(path);
  const facts = await probeVideo(path, options.signal);
  const profile = options.profile ?? PROFILES.whatsapp;
  const verdict = checkCompliance(facts, profile);
  if (!verdict.ok && options.force !== true) {
    const reasons = verdict.violations.map((violation) => violation.message).join(' ');
    throw new PublishError('not-compliant', `${path} does not comply with the ${profile.name} profile: ${reasons}`, path, { violations: verdict.violations });
  }
  return { facts, verdict, contentType: videoContentType(path, facts) };
}

/** The probe's facts, with a file it cannot read reported as PublishError `read-failed`. */
export async function probeVideo(path: string, signal: AbortSignal | undefined): Promise<MediaFacts> {
  try {
    return await probe(path, { signal });
  } catch (error) {
    if (error instanceof ProbeError) throw new PublishError('read-failed', error.message, path, { cause: error });
    throw error;
  }
}
