import PQueue from 'p-queue';
import { checkCompliance, emptyFacts, probe, ProbeError, type ComplianceProfile, type MediaFacts, type Violation, type Warning } from '@wavid/probe';
import { throwIfCancelled } from '@wavid/foundation';

export interface FileCheck {
  path: string;
  ok: boolean;
  violations: Violation[];
  warnings: Warning[];
  facts: MediaFacts;
}

export interface CheckFilesOptions {
  profile: ComplianceProfile;
  /** Files probed at once. */
  concurrency: number;
  signal?: AbortSignal | undefined;
  /** Called as each file's verdict is known, in completion order. */
  onResult?: ((result: FileCheck, index: number) => void) | undefined;
}

/** Probes and checks files, a few at a time; results come back in the order of `paths`. */
export async function checkFiles(paths: readonly string[], options: CheckFilesOptions): Promise<FileCheck[]> {
  const queue = new PQueue({ concurrency: options.concurrency });
  const results = await Promise.all(
    paths.map((path, index) =>
      queue.add(async () => {
          // The signal is checked here rather than handed to the queue, which would add a listener per file.
          throwIfCancelled(options.signal);
          const facts = await probeOrUnreadable(path, options.signal);
          const verdict = checkCompliance(facts, options.profile);
          const result: FileCheck = { path, ...verdict, facts };
          options.onResult?.(result, index);
          return result;
        }),
    ),
  );
  return results;
}

/** A file the probe cannot open or hand to ffprobe gets an unreadable verdict; the other files keep theirs. */
async function probeOrUnreadable(path: string, signal: AbortSignal | undefined): Promise<MediaFacts> {
  try {
    return await probe(path, { signal });
  } catch (error) {
    if (!(error instanceof ProbeError)) throw error;
    return emptyFacts(path, 0, { reason: error.code === 'ffprobe-failed' ? 'unsupported' : 'not-media', message: error.message });
  }
}
