import { PROFILE_NAMES } from '@wavid/probe';
import { checkFiles, DEFAULT_CHECK_CONCURRENCY as DEFAULT_CONCURRENCY } from '@wavid/pipeline/check';
import { parseChoice, parseCount } from '../cli/parse-size.js';
import { inputsFrom, profileFrom } from '../cli/shared-options.js';
import { EXIT_FAILED, EXIT_OK } from '../cli/exit-codes.js';
import { parseCommandLine, type Command } from '../cli/command.js';
import { UsageError } from '../cli/usage-error.js';
import {
  CHECK_FORMATS,
  checkLine,
  checkReportGithub,
  checkReportJson,
  checkReportJunit,
  checkSummaryLine,
  summarise,
} from '../report/check-report.js';

export const checkCommand: Command = {
  name: 'check',
  help: `Usage: wavid check <path...> [options]

Checks each video against WhatsApp's rules for video messages: MP4 or 3GP, H.264 Baseline or
Main without B-frames, 8-bit 4:2:0, one AAC audio track, moov before mdat, and the size cap.
Folders are searched recursively for video files (hidden files and node_modules are skipped);
a file named directly is checked whatever its extension. Files are only read, never changed.

Options:
  --profile <name>      ${PROFILE_NAMES.join(' | ')} (default: whatsapp, 16,000,000 bytes;
                        whatsapp-status: Z-API status videos, 10,000,000 bytes)
  --max-size <size>     override the size cap: bytes, or with a unit (16MB, 10MiB)
  --format <format>     text | json | junit | github (default: text)
                          json    one JSON document on stdout
                          junit   JUnit XML, one testcase per file
                          github  GitHub Actions annotations (::error file=...)
  --concurrency <n>     files read at once (default: ${DEFAULT_CONCURRENCY})
  -h, --help            show this help

Exit codes: 0 every file complies, 1 some file does not (or cannot be read), 2 usage error.

Violation codes: unreadable, container, no-video, video-codec, video-profile, b-frames,
pixel-format, audio-codec, audio-streams, faststart, size.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandLine(args, {
      profile: { type: 'string' },
      'max-size': { type: 'string' },
      format: { type: 'string' },
      concurrency: { type: 'string' },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    if (positionals.length === 0) throw new UsageError('check needs at least one file or folder');
    const format = parseChoice(values.format ?? 'text', '--format', CHECK_FORMATS);
    const concurrency = values.concurrency === undefined ? DEFAULT_CONCURRENCY : parseCount(values.concurrency, '--concurrency', 1, 64);
    const profile = profileFrom(values.profile ?? 'whatsapp', values['max-size']);
    const inputs = await inputsFrom(positionals);

    // Text lines are printed in input order as soon as every earlier file is done.
    const ready = new Map<number, string>();
    let nextToPrint = 0;
    const onResult =
      format === 'text'
        ? (result: Parameters<typeof checkLine>[0], index: number) => {
            ready.set(index, checkLine(result, io.interactive));
            for (let line = ready.get(nextToPrint); line !== undefined; line = ready.get(nextToPrint)) {
              io.stdout.write(`${line}\n`);
              ready.delete(nextToPrint++);
            }
          }
        : undefined;
    const results = await checkFiles(
      inputs.map((input) => input.path),
      { profile, concurrency, signal: io.signal, onResult },
    );

    if (format === 'json') io.stdout.write(checkReportJson(profile.name, results));
    else if (format === 'junit') io.stdout.write(checkReportJunit(profile.name, results));
    else if (format === 'github') io.stdout.write(checkReportGithub(results));
    else io.stdout.write(`${inputs.length === 0 ? 'No video files found. ' : ''}${checkSummaryLine(summarise(results))}\n`);
    return results.every((result) => result.ok) ? EXIT_OK : EXIT_FAILED;
  },
};
