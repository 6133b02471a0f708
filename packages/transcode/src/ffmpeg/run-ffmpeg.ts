import { runTool } from '@wavid/foundation';
import { TranscodeError } from '../errors.js';
import { ffmpegArgv, type FfmpegJob } from './ffmpeg-job.js';
import { parseFfmpegProgress, type FfmpegStatus } from './parse-ffmpeg-progress.js';

export interface RunFfmpegOptions {
  binary: string;
  job: FfmpegJob;
  /** ffmpeg is killed after this long and the run fails with `timeout`. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Called for every status line ffmpeg prints. */
  onStatus?: ((status: FfmpegStatus) => void) | undefined;
  /** Names the input in errors. */
  label?: string | undefined;
}

/**
 * Runs one ffmpeg job to the end, through the same runner as ffprobe. Rejects with a TranscodeError
 * (`encode-failed`, `timeout`) carrying ffmpeg's exit code, signal and the tail of its stderr, or on a
 * cancel as every cancel ends.
 */
export async function runFfmpeg(options: RunFfmpegOptions): Promise<void> {
  const run = await runTool({
    binary: options.binary,
    args: ffmpegArgv(options.job),
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    // Status lines feed the progress; only the other lines are kept to explain a failure.
    onStderrLine: (line) => {
      const status = parseFfmpegProgress(line);
      if (status) options.onStatus?.(status);
    },
    keepStderrLine: (line) => parseFfmpegProgress(line) === null,
  }).catch((error: unknown) => {
    if (options.signal?.aborted) throw error;
    throw new TranscodeError('encode-failed', `cannot run ffmpeg (${options.binary}): ${(error as Error).message}`, { input: options.label, cause: error });
  });
  if (run.exitCode === 0) return;
  const details = { input: options.label, stderr: run.stderrTail, exitCode: run.exitCode, signal: run.signal };
  if (run.timedOut) throw new TranscodeError('timeout', `ffmpeg took longer than ${Math.round(options.timeoutMs / 1000)} s and was stopped`, details);
  throw new TranscodeError('encode-failed', `ffmpeg failed: ${lastLine(run.stderrTail) ?? `exit code ${run.exitCode ?? run.signal ?? 'unknown'}`}`, details);
}

function lastLine(text: string): string | undefined {
  return text.split('\n').filter((line) => line.trim() !== '').pop();
}
