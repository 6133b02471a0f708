import { spawn } from 'node:child_process';
import { cancelError } from './cancel.js';
import { orphanWatchdog } from './orphan-watchdog.js';

export interface RunToolOptions {
  /** The binary, by path: ffmpeg and ffprobe are never looked up through a shell. */
  binary: string;
  args: readonly string[];
  /** The tool is killed after this long; the result then has `timedOut`. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Keep stdout, up to this many bytes (more kills the tool). Default: stdout is ignored. */
  maxStdoutBytes?: number | undefined;
  /** Called with every line of stderr; ffmpeg ends its status lines with a carriage return, so both end a line. */
  onStderrLine?: ((line: string) => void) | undefined;
  /** Keep only stderr lines for which this is true in `stderrTail` (status lines would crowd out the complaint). */
  keepStderrLine?: ((line: string) => boolean) | undefined;
  /** Lines of stderr kept in `stderrTail`. Default 20; the tail is also cut to its last 4 KB. */
  stderrTailLines?: number | undefined;
}

/** How a tool run ended, as typed fields: nothing here is parsed out of a message. */
export interface ToolRun {
  /** Null when the tool was killed. */
  exitCode: number | null;
  /** The signal that ended the tool, when it was killed. */
  signal: NodeJS.Signals | null;
  /** Stdout as UTF-8; empty unless `maxStdoutBytes` was given. */
  stdout: string;
  /** The last lines the tool wrote to stderr, trimmed. */
  stderrTail: string;
  /** Killed because it ran longer than `timeoutMs`. */
  timedOut: boolean;
  /** Killed because stdout grew past `maxStdoutBytes`. */
  stdoutTooLarge: boolean;
  /** Killed because the signal aborted (the promise then rejects instead; kept for the error's details). */
  isCanceled: boolean;
}

/** Lines of stderr kept by default: enough to show a tool's complaint, not its whole log. */
const STDERR_TAIL_LINES = 20;
const STDERR_TAIL_CHARS = 4096;

/**
 * Runs ffmpeg or ffprobe with an argument array, a timeout and a cancel signal, and resolves with how it
 * ended: a non-zero exit or a timeout is data for the caller to turn into its own typed error. Rejects only
 * when the tool cannot be started (with spawn's error) or on a cancel (as every cancel ends: see cancelError).
 */
export function runTool(options: RunToolOptions): Promise<ToolRun> {
  return new Promise((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(cancelError(options.signal));
      return;
    }
    const captureStdout = options.maxStdoutBytes !== undefined;
    const child = spawn(options.binary, options.args, { stdio: ['ignore', captureStdout ? 'pipe' : 'ignore', 'pipe'] });
    // If wavid dies, even by SIGKILL, the tool dies with it rather than writing on.
    const pid = child.pid;
    if (pid !== undefined) orphanWatchdog.track(pid);
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    const tail: string[] = [];
    let partial = '';
    const state = { timedOut: false, stdoutTooLarge: false };
    const kill = () => child.kill('SIGKILL');
    const timer = setTimeout(() => {
      state.timedOut = true;
      kill();
    }, options.timeoutMs);
    options.signal?.addEventListener('abort', kill, { once: true });

    child.stdout?.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > (options.maxStdoutBytes ?? 0)) {
        state.stdoutTooLarge = true;
        kill();
      } else stdout.push(chunk);
    });
    const takeLine = (line: string) => {
      if (line.trim() === '') return;
      options.onStderrLine?.(line);
      if (options.keepStderrLine && !options.keepStderrLine(line)) return;
      tail.push(line);
      if (tail.length > (options.stderrTailLines ?? STDERR_TAIL_LINES)) tail.shift();
    };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      const lines = (partial + chunk).split(/\r\n|\r|\n/);
      partial = lines.pop() ?? '';
      for (const line of lines) takeLine(line);
    });
    // Untracked at exit, once: the pid is free for reuse from then on, while `close` may come much later
    // (something the tool left behind can hold its stderr open), and the watchdog must never kill a reused pid.
    child.on('exit', () => {
      if (pid !== undefined) orphanWatchdog.untrack(pid);
    });
    const cleanUp = () => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', kill);
    };
    child.on('error', (error) => {
      cleanUp();
      reject(error);
    });
    child.on('close', (exitCode, signal) => {
      cleanUp();
      takeLine(partial);
      if (options.signal?.aborted) {
        reject(cancelError(options.signal));
        return;
      }
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderrTail: tail.join('\n').trim().slice(-STDERR_TAIL_CHARS),
        timedOut: state.timedOut,
        stdoutTooLarge: state.stdoutTooLarge,
        isCanceled: false,
      });
    });
  });
}
