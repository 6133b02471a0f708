import { execFile } from 'node:child_process';
import { defaultFfprobePath } from '@wavid/probe';
import { defaultFfmpegPath } from '@wavid/transcode';
import { parseCommandLine, type Command, type CommandIo } from '../cli/command.js';
import { EXIT_FAILED, EXIT_OK } from '../cli/exit-codes.js';
import { parseChoice } from '../cli/parse-size.js';
import { terminalText } from '../cli/terminal-text.js';
import { WAVID_VERSION } from '../version.js';

const FORMATS = ['text', 'json'] as const;

/** Builds older than this many years are called out: ffmpeg's demuxers get security fixes in every release. */
const OLD_AFTER_YEARS = 2;

/** What `-version` says about a build. */
export interface FfmpegBuild {
  /** `5.1.9-0+deb12u1`, `N-47683-g0e8eb07980-static`. */
  version: string;
  /** The last year of its copyright line: when it was built, near enough. */
  year: number | null;
  /** `58.24.100`: the demuxers' library, which says more than a git build name. */
  libavformat: string | null;
}

/** Reads the first lines of `ffmpeg -version` or `ffprobe -version`. Pure. */
export function parseFfmpegVersion(output: string): FfmpegBuild | null {
  const first = /^ff(?:mpeg|probe) version (\S+).*?Copyright \(c\) \d{4}-(\d{4})/m.exec(output);
  const version = first?.[1] ?? /^ff(?:mpeg|probe) version (\S+)/m.exec(output)?.[1];
  if (version === undefined) return null;
  const libavformat = /^\s*libavformat\s+[\d. ]+\/\s*(\d+)\.\s*(\d+)\.\s*(\d+)/m.exec(output);
  return { version, year: first?.[2] ? Number(first[2]) : null, libavformat: libavformat ? `${libavformat[1]}.${libavformat[2]}.${libavformat[3]}` : null };
}

interface ToolReport {
  tool: 'ffmpeg' | 'ffprobe';
  path: string;
  /** The environment variable that chose it, or `bundled`. */
  source: 'FFMPEG_PATH' | 'FFPROBE_PATH' | 'bundled';
  build: FfmpegBuild | null;
  ageYears: number | null;
  error: string | null;
}

function runVersion(path: string, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(path, ['-version'], { timeout: 10_000, signal, maxBuffer: 1024 * 1024 }, (error, stdout) => {
      if (error) reject(new Error(error.message, { cause: error }));
      else resolve(stdout);
    });
  });
}

async function inspect(tool: 'ffmpeg' | 'ffprobe', io: CommandIo, nowYear: number): Promise<ToolReport> {
  const variable = tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH';
  const path = tool === 'ffmpeg' ? defaultFfmpegPath() : defaultFfprobePath();
  const source = io.env[variable] ? variable : 'bundled';
  try {
    const build = parseFfmpegVersion(await runVersion(path, io.signal));
    const ageYears = build?.year ? nowYear - build.year : null;
    return { tool, path, source, build, ageYears, error: build ? null : 'its -version output was not understood' };
  } catch (error) {
    return { tool, path, source, build: null, ageYears: null, error: error instanceof Error ? error.message : String(error) };
  }
}

function describe(report: ToolReport): string {
  const from = report.source === 'bundled' ? `bundled; set ${report.tool === 'ffmpeg' ? 'FFMPEG_PATH' : 'FFPROBE_PATH'} to use another` : `from ${report.source}`;
  const head = `${report.tool.padEnd(8)}${terminalText(report.path)} (${from})`;
  if (!report.build) return `${head}\n        cannot run it: ${terminalText(report.error ?? '')}`;
  const { version, year, libavformat } = report.build;
  const age = year === null ? 'build year unknown' : `copyright year ${year}, ${report.ageYears === 0 ? 'this year' : `about ${report.ageYears} ${report.ageYears === 1 ? 'year' : 'years'} old`}`;
  const old = report.ageYears !== null && report.ageYears > OLD_AFTER_YEARS ? '  OLD: not for untrusted uploads' : '';
  return `${head}\n        version ${terminalText(version)}${libavformat ? `, libavformat ${libavformat}` : ''}, ${age}${old}`;
}

export const doctorCommand: Command = {
  name: 'doctor',
  help: `Usage: wavid doctor [--format text|json]

Shows the ffmpeg and ffprobe binaries wavid runs: their path, whether they are the bundled ones
or chosen by FFMPEG_PATH / FFPROBE_PATH, their version and libavformat version, and the last
year of their copyright line (about when they were built) with their age. For videos from untrusted sources use a current ffmpeg from the operating system
(FFMPEG_PATH=/usr/bin/ffmpeg FFPROBE_PATH=/usr/bin/ffprobe), run with limited privileges.

Exit codes: 0 both run, 1 one of them cannot be run, 2 usage error.
`,
  async run(args, io) {
    const { values } = parseCommandLine(args, { format: { type: 'string' } });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    const format = parseChoice(values.format ?? 'text', '--format', FORMATS);
    const nowYear = new Date().getUTCFullYear();
    const reports = [await inspect('ffmpeg', io, nowYear), await inspect('ffprobe', io, nowYear)];
    if (format === 'json') {
      io.stdout.write(`${JSON.stringify({ wavid: WAVID_VERSION, tools: reports }, null, 2)}\n`);
    } else {
      io.stdout.write(`wavid   ${WAVID_VERSION}\n${reports.map(describe).join('\n')}\n`);
      if (reports.some((report) => report.ageYears !== null && report.ageYears > OLD_AFTER_YEARS)) {
        io.stdout.write('\nFor untrusted uploads, set FFMPEG_PATH and FFPROBE_PATH to a current ffmpeg from the operating system.\n');
      }
    }
    return reports.every((report) => report.build !== null) ? EXIT_OK : EXIT_FAILED;
  },
};
