import { PROFILE_NAMES, type ComplianceProfile } from '@wavid/probe';
import type { createStoreClient, ProgressEvent, PublishedFile } from '@wavid/publish';
import { MAX_LINK_SECONDS, PublishError, requireFile } from '@wavid/publish/without-store';
import { parseCommandLine, type Command, type CommandIo } from '../cli/command.js';
import { EXIT_FAILED, EXIT_OK } from '../cli/exit-codes.js';
import { withUsageErrors } from '../cli/library-errors.js';
import { parseDuration } from '../cli/parse-duration.js';
import { parseChoice } from '../cli/parse-size.js';
import { profileFrom } from '../cli/shared-options.js';
import { UsageError } from '../cli/usage-error.js';
import { terminalText } from '../cli/terminal-text.js';

const FORMATS = ['text', 'json'] as const;

/** The options of a store upload, shared with `wavid send --file`. */
export const STORE_OPTIONS = {
  bucket: { type: 'string' },
  prefix: { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
  expires: { type: 'string' },
  'public-base-url': { type: 'string' },
} as const;

export const STORE_HELP = `  --bucket <name>           S3 bucket to store the video in
  --prefix <folder>         folder for the key (default: none); the key is <prefix>/<sha256>.mp4
  --endpoint <url>          S3-compatible endpoint (MinIO, R2, Swift...), addressed path-style
                            (default: AWS_ENDPOINT_URL_S3, then AWS_ENDPOINT_URL, else AWS)
  --region <region>         S3 region (default: the AWS SDK's chain, e.g. AWS_REGION)
  --expires <duration>      lifetime of the presigned link: 3600, 30m, 12h, 7d (default and most: 7d)
  --public-base-url <url>   hand out <url>/<key> instead of a presigned link`;

export interface StoreSettings {
  bucket: string;
  prefix: string | undefined;
  endpoint: string | undefined;
  region: string | undefined;
  expiresInSeconds: number;
  publicBaseUrl: string | undefined;
}

export function storeSettings(values: Partial<Record<keyof typeof STORE_OPTIONS, string>>, bucket: string): StoreSettings {
  const expiresInSeconds = values.expires === undefined ? MAX_LINK_SECONDS : parseDuration(values.expires, '--expires');
  if (expiresInSeconds < 1 || expiresInSeconds > MAX_LINK_SECONDS) throw new UsageError(`--expires must be from 1 second to 7 days; got '${values.expires ?? ''}'`);
  return { bucket, prefix: values.prefix, endpoint: values.endpoint, region: values.region, expiresInSeconds, publicBaseUrl: values['public-base-url'] };
}

/** Publishes one file with the given store settings; progress goes to stderr on a terminal. */
export async function publishOne(path: string, settings: StoreSettings, extra: { profile: ComplianceProfile; force: boolean; io: CommandIo; client?: ReturnType<typeof createStoreClient> }): Promise<PublishedFile> {
  const progress = publishProgressPrinter(path, extra.io);
  // The store, and the AWS SDK with it, loads only for an upload: not for help or a usage error.
  const { publishFile } = await import('@wavid/publish');
  try {
    return await withUsageErrors(() =>
      publishFile({ ...settings, path, profile: extra.profile, force: extra.force, env: extra.io.env, client: extra.client, signal: extra.io.signal, onProgress: progress }),
    );
  } finally {
    if (extra.io.interactive) extra.io.stderr.write('\r\x1b[K');
  }
}

/** Hashing and upload progress of one file on stderr, on a terminal only. */
export function publishProgressPrinter(path: string, io: CommandIo): ((event: ProgressEvent) => void) | undefined {
  if (!io.interactive) return undefined;
  return (event) => {
    if (event.stage !== 'hash' && event.stage !== 'upload') return;
    const percent = Math.floor((event.fraction ?? 0) * 100);
    io.stderr.write(`\r\x1b[K${event.stage === 'hash' ? 'hashing' : 'uploading'} ${terminalText(path)} ${percent}%`);
  };
}

export const publishCommand: Command = {
  name: 'publish',
  help: `Usage: wavid publish <file...> --bucket <name> [options]

Stores each video under a key named by its SHA-256, so the same video is stored once (an object
with that key and size is not uploaded again), with Content-Type video/mp4 (video/3gpp for 3GP)
and a Cache-Control that lets Meta cache it. Prints a presigned GET link, or a public URL with
--public-base-url, after fetching it as Meta would: 200 without a redirect, the right
Content-Type, and a Content-Length equal to the file size. A file that fails 'wavid check' is
refused unless --force.

Credentials come from the AWS SDK's default chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY,
AWS_PROFILE, ...).

Options:
${STORE_HELP}
  --profile <name>          ${PROFILE_NAMES.join(' | ')} (default: whatsapp)
  --max-size <size>         override the profile's size cap (16MB, 10MiB)
  --force                   publish files that do not comply
  --format <format>         text | json (default: text)
                              json  {"files":[{"path","key","url","sha256","sizeBytes","uploaded"}]}
  -h, --help                show this help

Exit codes: 0 every file published, 1 a file was refused (by the checks or by the store), 2 usage error
(a missing file among them, found before anything is uploaded).
`,
  async run(args, io) {
    const { values, positionals } = parseCommandLine(args, {
      ...STORE_OPTIONS,
      profile: { type: 'string' },
      'max-size': { type: 'string' },
      force: { type: 'boolean' },
      format: { type: 'string' },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    if (positionals.length === 0) throw new UsageError('publish needs at least one file');
    if (values.bucket === undefined) throw new UsageError('publish needs --bucket');
    const format = parseChoice(values.format ?? 'text', '--format', FORMATS);
    const settings = storeSettings(values, values.bucket);
    const profile = profileFrom(values.profile ?? 'whatsapp', values['max-size']);
    // A mistyped name is a usage error for the whole command, found before the first file is uploaded.
    for (const path of positionals) await withUsageErrors(() => requireFile(path));
    const { createStoreClient } = await import('@wavid/publish');
    const client = await withUsageErrors(() => createStoreClient({ endpoint: settings.endpoint, region: settings.region, env: io.env }));

    const files: PublishedFile[] = [];
    const errors: { path: string; code: string; message: string }[] = [];
    try {
      for (const path of positionals) {
        try {
          const file = await publishOne(path, settings, { profile, force: values.force === true, io, client });
          files.push(file);
          if (format === 'text') io.stdout.write(`${terminalText(file.path)}: ${file.uploaded ? 'uploaded' : 'already stored'}\n  ${terminalText(file.url)}\n`);
        } catch (error) {
          if (!(error instanceof PublishError)) throw error;
          errors.push({ path, code: error.code, message: error.message });
          io.stderr.write(`wavid publish: ${terminalText(error.message)} [${error.code}]\n`);
        }
      }
    } finally {
      client.destroy();
    }
    if (format === 'json') {
      const report: Record<string, unknown> = {
        files: files.map(({ path, key, url, sha256, sizeBytes, uploaded }) => ({ path, key, url, sha256, sizeBytes, uploaded })),
      };
      if (errors.length > 0) report.errors = errors;
      io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    }
    return errors.length === 0 ? EXIT_OK : EXIT_FAILED;
  },
};

