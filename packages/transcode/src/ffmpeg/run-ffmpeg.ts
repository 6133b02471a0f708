// The only module that knows fluent-ffmpeg: everything else hands it a plain FfmpegJob, so the library
// can be replaced by a direct spawn without touching the rest of the package.
import type { ChildProcess } from 'node:child_process';
import ffmpeg from 'fluent-ffmpeg';
import { TranscodeError } from '../errors.js';
import type { FfmpegJob } from './ffmpeg-job.js';
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

/** Lines of stderr kept for the error: enough to show ffmpeg's complaint, not the whole log. */
const STDERR_TAIL_LINES = 20;

/** Runs one ffmpeg job to the end. Rejects with a TranscodeError (`encode-failed`, `timeout`, `aborted`). */
export function runFfmpeg(options: RunFfmpegOptions): Promise<void> {
  const { job, signal } = options;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new TranscodeError('aborted', 'cancelled before ffmpeg started', { input: options.label, cause: signal.reason }));
      return;
    }
    // fluent-ffmpeg keeps the binary path in a process-wide cache; every run sets it, so the last caller's wins.
    const command = ffmpeg({ stdoutLines: 0 }).setFfmpegPath(options.binary);
    command.input(job.input);
    if (job.inputArgs.length > 0) command.inputOptions(...job.inputArgs);
    command.output(job.output);
    if (job.outputArgs.length > 0) command.outputOptions(...job.outputArgs);

    const tail: string[] = [];
    let started = false;
    let ended = false;
    let timedOut = false;
    let child: ChildProcess | undefined;
    const kill = () => {
      if (started && !ended) command.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const onAbort = () => {
      kill();
    };
    signal?.addEventListener('abort', onAbort, { once: true });

    const finish = (error: TranscodeError | null) => {
      if (ended) return;
      ended = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve();
    };

    command.on('start', () => {
      started = true;
      // fluent-ffmpeg reports the exit only inside its message text; the child process itself has the numbers.
      child = (command as unknown as { ffmpegProc?: ChildProcess }).ffmpegProc;
      // The signal may have fired while fluent-ffmpeg was still probing the binary's capabilities.
      if (signal?.aborted || timedOut) command.kill('SIGKILL');
    });
    command.on('stderr', (line: string) => {
      const status = parseFfmpegProgress(line);
      if (status) {
        options.onStatus?.(status);
        return;
      }
      tail.push(line);
      if (tail.length > STDERR_TAIL_LINES) tail.shift();
    });
    command.on('end', () => {
      finish(null);
    });
    command.on('error', (error: Error) => {
      const stderr = tail.join('\n').trim();
      const details = { input: options.label, stderr, exitCode: child?.exitCode ?? null, signal: child?.signalCode ?? null, cause: error };
      if (signal?.aborted) finish(new TranscodeError('aborted', 'cancelled while ffmpeg was running', details));
      else if (timedOut) finish(new TranscodeError('timeout', `ffmpeg took longer than ${Math.round(options.timeoutMs / 1000)} s and was stopped`, details));
      else finish(new TranscodeError('encode-failed', `ffmpeg failed: ${lastLine(stderr) ?? error.message}`, details));
    });
    command.run();
  });
}

function lastLine(text: string): string | undefined {
  return text.split('\n').filter((line) => line.trim() !== '').pop();
}
