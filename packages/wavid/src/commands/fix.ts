import { resolve } from 'node:path';
import { PROFILE_NAMES } from '@wavid/probe';
import { parseCommandLine, type Command } from '../cli/command.js';
import { EXIT_FAILED, EXIT_OK } from '../cli/exit-codes.js';
import { parseChoice, parseCount } from '../cli/parse-size.js';
import { inputsFrom, profileFrom } from '../cli/shared-options.js';
import { UsageError } from '../cli/usage-error.js';
import { DEFAULT_CONCURRENCY as DEFAULT_FIX_CONCURRENCY, fixFiles, outDirInsideInputs, outputPathsFor, x264ThreadsFor, type FileFix } from '@wavid/pipeline';
import { ProgressOutput } from '../progress/progress-output.js';
import { FIX_FORMATS, fixLine, fixReportJson, fixSummaryLine, summariseFixes } from '../report/fix-report.js';

export const fixCommand: Command = {
  name: 'fix',
  help: `Usage: wavid fix <path...> --out <dir> [options]

Writes a compliant MP4 for each video with the least work: a file that already complies is copied,
one whose container or audio is wrong is remuxed (the picture is not re-encoded), and one whose
picture is wrong or which is over the size cap is transcoded to H.264 Main without B-frames, sized
to use most of the cap. Every output is checked before it is kept; inputs are never changed.

Paths work as for 'wavid check'. A file found in a folder goes to <out>/<its path below that
folder>, a file named directly to <out>/<its name>, always ending in .mp4; names that would clash,
with each other or with an input (x.mp4 fixed into its own folder), or with wavid's own files
(report.html, wavid-manifest.json...), get -2, -3... The output folder may not be inside an input
folder, also through links; an output whose way leads out of it through a link, or that is an input
reached through a link, is refused (output-outside, output-is-input).

Options:
  --out <dir>           where outputs go (required)
  --profile <name>      ${PROFILE_NAMES.join(' | ')} (default: whatsapp, 16,000,000 bytes)
  --max-size <size>     override the size cap: bytes, or with a unit (16MB, 10MiB)
  --baseline            encode H.264 Baseline instead of Main (for the oldest phones)
  --concurrency <n>     files worked on at once (default: ${DEFAULT_FIX_CONCURRENCY})
  --format <format>     text | json (default: text)
  --overwrite           rewrite outputs that are already up to date (default: keep them)
  -h, --help            show this help

Exit codes: 0 every output complies, 1 some input could not be fixed, 2 usage error.

Error codes: unreadable, no-video, cannot-fit, encode-failed, timeout, io, output-outside, output-is-input.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandLine(args, {
      out: { type: 'string', short: 'o' },
      profile: { type: 'string' },
      'max-size': { type: 'string' },
      baseline: { type: 'boolean' },
      concurrency: { type: 'string' },
      format: { type: 'string' },
      overwrite: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    if (positionals.length === 0) throw new UsageError('fix needs at least one file or folder');
    if (values.out === undefined || values.out === '') throw new UsageError('fix needs --out <dir>');
    const outDir = values.out;
    const format = parseChoice(values.format ?? 'text', '--format', FIX_FORMATS);
    const concurrency = values.concurrency === undefined ? DEFAULT_FIX_CONCURRENCY : parseCount(values.concurrency, '--concurrency', 1, 16);
    const profile = profileFrom(values.profile ?? 'whatsapp', values['max-size']);
    const inputs = await inputsFrom(positionals);
    for (const root of new Set(inputs.map((input) => input.root).filter((root) => root !== null))) {
      if (await outDirInsideInputs(outDir, root)) {
        throw new UsageError(`--out ${outDir} is inside the input folder ${root} (also through links); its outputs would be read as inputs next time`);
      }
    }
    const outputs = outputPathsFor(inputs, outDir);
    const jobs = inputs.map((input, index) => ({ input: input.path, output: outputs[index] ?? resolve(outDir, 'out.mp4') }));

    const progress = new ProgressOutput<number>(io, format !== 'text', jobs.length);

    let results: FileFix[];
    try {
      results = await fixFiles(jobs, {
        outDir,
        profile,
        concurrency,
        // A lone file gets every core; files running side by side share them.
        threads: x264ThreadsFor(Math.max(1, Math.min(concurrency, jobs.length))),
        overwrite: values.overwrite === true,
        h264Profile: values.baseline ? 'baseline' : 'main',
        signal: io.signal,
        onStart: (index) => {
          progress.start(index, jobs[index]?.input ?? '');
        },
        onProgress: (index, event) => {
          progress.progress(index, event);
        },
        onResult: (result, index) => {
          progress.finish(index, fixLine(result, profile, io.interactive));
        },
      });
    } finally {
      progress.done();
    }

    if (format === 'json') io.stdout.write(fixReportJson(profile, results));
    else io.stdout.write(`${inputs.length === 0 ? 'No video files found. ' : ''}${fixSummaryLine(summariseFixes(results))}\n`);
    return results.every((result) => result.ok) ? EXIT_OK : EXIT_FAILED;
  },
};
