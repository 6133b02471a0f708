import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const require = createRequire(import.meta.url);
const execFileAsync = promisify(execFile);

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const samplesDir = fileURLToPath(new URL('../../samples', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../packages/wavid/dist/cli.js', import.meta.url));

export const ffmpegPath: string = process.env.FFMPEG_PATH ?? (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
export const ffprobePath: string =
  process.env.FFPROBE_PATH ?? (createRequire(require.resolve('@wavid/probe'))('@ffprobe-installer/ffprobe') as { path: string }).path;

/** Runs ffmpeg with arguments, quietly; rejects with its stderr on failure. */
export async function ffmpeg(args: string[]): Promise<void> {
  await execFileAsync(ffmpegPath, ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

/** ffprobe's own JSON for a file: the independent opinion tests compare against. */
export async function ffprobeJson(path: string, extra: string[] = ['-show_format', '-show_streams']): Promise<Record<string, unknown>> {
  const { stdout } = await execFileAsync(ffprobePath, ['-v', 'error', '-print_format', 'json', ...extra, path], { maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as Record<string, unknown>;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `wavid` command as a user would, with its exit code and both streams. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [cliPath, ...args],
      { cwd: options.cwd ?? repoRoot, env: { ...process.env, ...options.env }, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
