import { spawn } from 'node:child_process';

export interface FfprobeRun {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  /** The last few KB of stderr, kept for error messages. */
  stderr: string;
  timedOut: boolean;
}

export interface RunFfprobeOptions {
  binary: string;
  args: readonly string[];
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Output beyond this is a sign of a hostile file; ffprobe is stopped and the run reported as failed. */
  maxStdoutBytes?: number;
}

const STDERR_TAIL = 4096;

/** Runs ffprobe with an argument array (never a shell), a timeout and a cancel signal. */
export function runFfprobe(options: RunFfprobeOptions): Promise<FfprobeRun> {
  const maxStdout = options.maxStdoutBytes ?? 16 * 1024 * 1024;
  return new Promise((resolve, reject) => {
    options.signal?.throwIfAborted();
    const child = spawn(options.binary, options.args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let timedOut = false;
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, options.timeoutMs);
    const onAbort = () => kill();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) kill();
      else stdout.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (options.signal?.aborted) {
        reject(options.signal.reason as Error);
        return;
      }
      resolve({ exitCode, signal, stdout: Buffer.concat(stdout).toString('utf8'), stderr: stderr.trim(), timedOut });
    });
  });
}
