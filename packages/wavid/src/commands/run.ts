import { statSync } from 'node:fs';
import { PROFILE_NAMES } from '@wavid/probe';
import { bucketUrl, checkBaseUrl, getProvider, isBucketUrl, isKeyBelow, locationsOverlap, PROVIDER_NAMES, resolveCredentials, type BucketLocation } from '@wavid/publish/without-store';
import { DEFAULT_STORE_PREFIX } from '@wavid/queue/defaults';
import type { createStoreClient } from '@wavid/publish';
import { asUsageError } from '../cli/library-errors.js';
import { parseCommandLine, type Command } from '../cli/command.js';
import { EXIT_FAILED, EXIT_OK } from '../cli/exit-codes.js';
import { parseChoice, parseCount } from '../cli/parse-size.js';
import { UsageError } from '../cli/usage-error.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueuedDestination, QueuedPrepareDefaults, StoredObject } from '@wavid/queue';
import { DEFAULT_CONCURRENCY, isInside, MANIFEST_CSV, MANIFEST_JSON, REPORT_HTML, runCampaign, type BucketInputs, type CampaignOutcome, type Destination, type ManifestEntry } from '@wavid/pipeline';
import { terminalText } from '../cli/terminal-text.js';
import type { BucketOutput } from './run-bucket.js';
import { ProgressOutput } from '../progress/progress-output.js';
import { reportHtml } from '../report/report-html.js';
import { entryReady, runLine, runSummaryLine, runTable, summariseRun } from '../report/run-report.js';
import { WAVID_VERSION } from '../version.js';
import { profileFrom } from '../cli/shared-options.js';
import { STORE_HELP, STORE_OPTIONS, storeSettings } from './publish.js';

const FORMATS = ['text', 'json'] as const;
/** Videos in flight with --queue: enough to keep many workers busy; each costs the coordinator little. */
const QUEUED_CONCURRENCY = 32;

export const runCommand: Command = {
  name: 'run',
  help: `Usage: wavid run <folder | s3://bucket/prefix> --out <dir | s3://bucket/prefix> [options]

For every video in the folder (searched recursively): check it, make a compliant MP4 with the
least work (copy, remux or transcode), and, when a bucket or a provider is given, publish it as a
link or a media id. Outputs go to <dir> with the folder's layout. Inputs are never changed.

In <dir> it keeps:
  wavid-manifest.json   per video: sha256, size, action, output, verdict before and after,
                        link or media id with its expiry, error; rewritten after every video
  wavid-manifest.csv    the same for spreadsheets
  report.html           a card per video with its first frame, before/after and the link

Run it again after a stop or a Ctrl-C: videos whose content, profile and wavid version are
unchanged and whose outputs are still there are skipped, and links or media ids that expire within
a day are renewed.

Options:
  --out <dir>               where outputs, manifest and report go (required; not inside <folder>)
  --profile <name>          ${PROFILE_NAMES.join(' | ')} (default: whatsapp, 16,000,000 bytes)
  --max-size <size>         override the size cap: bytes, or with a unit (16MB, 10MiB)
  --baseline                encode H.264 Baseline instead of Main (for the oldest phones)
  --concurrency <n>         videos worked on at once (default: ${DEFAULT_CONCURRENCY})
  --format <format>         text | json (default: text)
  -h, --help                show this help

Publish to a bucket (a link Meta fetches):
${STORE_HELP}

Or upload to a provider (a media id; credentials from the environment as for 'wavid send'):
  --provider <name>         meta | 360dialog | gupshup | kaleyra
  --base-url <url>          replace the provider's host

Or have workers ('wavid worker', on any machines) do the work, with the same manifest and report:
  --queue <url>             the workers' Redis: redis://[user:password@]host[:port][/db], rediss://
                            for TLS (the password is never printed). Needs --bucket (or a bucket
                            in s3:// inputs or --out): each local input is staged there as wavid/inputs/<sha256>, each output fetched back from
                            wavid/outputs/<sha256>.mp4. A video already queued, running or done with
                            the same settings is attached to, not added again; --concurrency is then
                            the number of videos in flight (default: ${QUEUED_CONCURRENCY}). The workers
                            publish: links in --bucket, or with --provider too, media ids (with the
                            workers' own provider credentials), and renew them when they expire.

Inputs and outputs in a bucket (with --endpoint, --region and the credentials of 'wavid publish'):
  s3://bucket/prefix        as <folder>: the video objects below the prefix, named by their keys
                            below it. A key with an empty, '.' or '..' part, a backslash or a NUL is
                            passed over with a line on stderr [unsafe-key]. Without --queue each
                            input is downloaded to a temporary folder while it is worked on.
  --out s3://bucket/prefix  needs --queue: each output is copied inside the store from the workers'
                            wavid/outputs/<sha256>.mp4 to <prefix>/<its path>, and the manifest,
                            its CSV and report.html are put in <prefix>/ at the end (also after a
                            failure or Ctrl-C); the report then shows no first frames. Files travel
                            through --bucket, or the bucket of --out (or of the inputs) without it.
                            In one bucket, neither prefix may lie inside the other, and --out not
                            inside wavid/ where files travel; inputs that hold wavid/ pass over it.
                            Links (--bucket, --prefix) may not be published inside the inputs.

Exit codes: 0 every video is ready, 1 some video failed, 2 usage error, 130 interrupted.
`,
  async run(args, io) {
    const { values, positionals } = parseCommandLine(args, {
      out: { type: 'string', short: 'o' },
      profile: { type: 'string' },
      'max-size': { type: 'string' },
      baseline: { type: 'boolean' },
      concurrency: { type: 'string' },
      format: { type: 'string' },
      ...STORE_OPTIONS,
      provider: { type: 'string' },
      'base-url': { type: 'string' },
      queue: { type: 'string' },
    });
    if (values.help) {
      io.stdout.write(this.help);
      return EXIT_OK;
    }
    const [folder, ...extra] = positionals;
    if (folder === undefined) throw new UsageError('run needs a folder');
    if (extra.length > 0) throw new UsageError(`run takes one folder; got ${positionals.length}`);
    // The bucket side of a run (and the AWS SDK) loads only when a bucket is named.
    const bucketSide = isBucketUrl(folder) || (values.out !== undefined && isBucketUrl(values.out)) ? await import('./run-bucket.js') : null;
    const inputLocation = bucketSide && isBucketUrl(folder) ? bucketSide.bucketLocationOf(folder, '<folder>') : null;
    if (!inputLocation && !statSync(folder, { throwIfNoEntry: false })?.isDirectory()) throw new UsageError(`no such folder: ${folder}`);
    if (values.out === undefined || values.out === '') throw new UsageError('run needs --out <dir>');
    const outLocation = bucketSide && isBucketUrl(values.out) ? bucketSide.bucketLocationOf(values.out, '--out') : null;
    if (!inputLocation && !outLocation && isInside(values.out, folder)) throw new UsageError(`--out ${values.out} is inside ${folder}; its outputs would be read as inputs next time`);
    const format = parseChoice(values.format ?? 'text', '--format', FORMATS);
    const queued = values.queue !== undefined;
    if (outLocation && !queued) throw new UsageError('--out s3://... needs --queue: outputs stay in the bucket where the workers put them; without workers give a local folder');
    if (inputLocation && outLocation && locationsOverlap(inputLocation, outLocation)) {
      throw new UsageError(`--out ${values.out} and ${folder} overlap (one lies inside the other): outputs would be read as inputs next time, or written over them`);
    }
    const concurrency = values.concurrency === undefined
      ? (queued ? QUEUED_CONCURRENCY : DEFAULT_CONCURRENCY)
      : parseCount(values.concurrency, '--concurrency', 1, queued ? 256 : 16);
    const profile = profileFrom(values.profile ?? 'whatsapp', values['max-size']);
    const destination = destinationFrom(values, io.env, queued);
    if (destination?.kind === 'link' && inputLocation && destination.bucket === inputLocation.bucket && isKeyBelow(destination.prefix ?? '', inputLocation.prefix)) {
      const links = bucketUrl(destination.bucket, destination.prefix ?? '');
      throw new UsageError(`links would be published to ${links}, inside ${folder}, and read as inputs next time; give a --prefix outside it, or another --bucket`);
    }
    const bucketOf = (location: BucketLocation | null) => (location ? { bucket: location.bucket, endpoint: values.endpoint, region: values.region } : null);
    // With --queue, files travel through --bucket, else through the bucket the inputs or outputs are in.
    const travel = storeFor(values) ?? bucketOf(outLocation) ?? bucketOf(inputLocation);
    const travelLocation = queued && travel ? { bucket: travel.bucket, prefix: DEFAULT_STORE_PREFIX } : null;
    const passOver = refuseTravelOverlap(travelLocation, inputLocation, outLocation);
    let client: ReturnType<typeof createStoreClient> | null = null;
    try {
      // One client for the run, as a worker has: a client per file would set up its connection and credentials each time.
      // The AWS SDK loads only when a bucket is used.
      if (inputLocation || outLocation || (destination?.kind === 'link' && !queued)) {
        client = (await import('@wavid/publish')).createStoreClient({ endpoint: values.endpoint, region: values.region, env: io.env });
      }
    } catch (error) {
      throw asUsageError(error);
    }
    const publishTo = destination?.kind === 'link' && !queued && client ? { ...destination, client } : destination;

    const progress = new ProgressOutput<string>(io, format !== 'text');
    let workers: Awaited<ReturnType<typeof queueFrom>> | null = null;
    let bucketOutput: BucketOutput | null = null;
    let scratch: string | null = null;
    let result;
    try {
      const source = bucketSide && inputLocation && client ? await bucketSide.listBucketInputs(client, inputLocation, { passOver, stderr: io.stderr, signal: io.signal }) : null;
      if (bucketSide && outLocation && client) bucketOutput = await bucketSide.openBucketOutput(client, outLocation, io.signal);
      if (queued) {
        workers = await queueFrom(values.queue ?? '', destination, travel, io.env, {
          stagedInput: source ? (input) => stagedObject(source, input) : undefined,
          outputTo: bucketOutput ? { ...bucketOutput.location, localRoot: bucketOutput.workDir, inputKeys: source ? inputKeysIn(source, bucketOutput.location.bucket) : undefined } : undefined,
        });
      } else if (source && client) {
        scratch = await mkdtemp(join(tmpdir(), 'wavid-inputs-'));
      }
      // A folder the library refuses (an --out inside it through a link) is a usage error, as the checks above.
      result = await runCampaign({
        folder,
        source: source ?? undefined,
        outDir: bucketOutput?.workDir ?? values.out,
        outputState: bucketOutput?.outputState,
        profile,
        destination: publishTo,
        concurrency,
        h264Profile: values.baseline ? 'baseline' : 'main',
        wavidVersion: WAVID_VERSION,
        renderReport: reportHtml,
        prepareVideo: workers?.prepareVideo ?? (bucketSide && source && client && scratch ? bucketSide.localBucketPrepare(client, source, scratch) : undefined),
        republishOutput: workers?.republishOutput,
        env: io.env,
        signal: io.signal,
        onInputs: (inputs) => {
          progress.total = inputs.length;
        },
        onStart: (input) => {
          progress.start(input, input);
        },
        onProgress: (event) => {
          if (event.file !== undefined) progress.progress(event.file, event);
        },
        onEntry: (input: string, entry: ManifestEntry, outcome: CampaignOutcome) => {
          progress.finish(input, runLine(entry, outcome, profile, io.interactive));
        },
      }).catch((error: unknown) => {
        throw asUsageError(error);
      });
    } finally {
      progress.done();
      await workers?.close();
      await bucketOutput?.finish();
      if (scratch) await rm(scratch, { recursive: true, force: true });
      client?.destroy();
    }
    const where = (local: string, name: string) => bucketOutput?.urlOf(name) ?? local;
    const [manifestPath, csvPath, reportPath] = [where(result.manifestPath, MANIFEST_JSON), where(result.csvPath, MANIFEST_CSV), where(result.reportPath, REPORT_HTML)];

    const { manifest, outcomes, droppedEntries } = result;
    if (droppedEntries > 0) {
      const entries = droppedEntries === 1 ? '1 unusable entry' : `${droppedEntries} unusable entries`;
      io.stderr.write(`wavid run: dropped ${entries} of the previous manifest (malformed, or naming an output outside the output folder); those inputs were done again\n`);
    }
    const summary = summariseRun(manifest.entries, outcomes);
    if (format === 'json') {
      const files = manifest.entries.map((entry) => ({ ...entry, ok: entryReady(entry), outcome: outcomes.get(entry.input) ?? null }));
      const document = { outDir: values.out, manifest: manifestPath, csv: csvPath, report: reportPath, profile: profile.name, maxSizeBytes: profile.maxSizeBytes, files, summary };
      io.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
    } else {
      if (manifest.entries.length > 0) io.stdout.write(`\n${runTable(manifest.entries, outcomes)}\n\n`);
      io.stdout.write(`${manifest.entries.length === 0 ? 'No video files found. ' : ''}${runSummaryLine(summary)}\n`);
      io.stdout.write(`Manifest: ${terminalText(manifestPath)} (and .csv)\nReport:   ${terminalText(reportPath)}\n`);
    }
    return summary.failed === 0 ? EXIT_OK : EXIT_FAILED;
  },
};

/** The bucket inputs and outputs travel through between the machines: --bucket, also beside --provider. */
function storeFor(values: RunValues): { bucket: string; endpoint: string | undefined; region: string | undefined } | null {
  return values.bucket === undefined ? null : { bucket: values.bucket, endpoint: values.endpoint, region: values.region };
}

/** The queue the workers take from, and the steps that hand each video, or its renewal, to them; the workers publish. */
async function queueFrom(url: string, destination: Destination | undefined, store: ReturnType<typeof storeFor>, env: NodeJS.ProcessEnv, placement: Pick<QueuedPrepareDefaults, 'stagedInput' | 'outputTo'>) {
  if (store === null) throw new UsageError('--queue needs --bucket: the bucket inputs and outputs travel through between the machines');
  const { queuedPrepare, queuedRepublish, redisUrlFrom, VideoQueue, QueueOptionError } = await import('@wavid/queue');
  let redis;
  try {
    redis = redisUrlFrom(url, env, '--queue');
  } catch (error) {
    if (error instanceof QueueOptionError) throw new UsageError(error.message);
    throw error;
  }
  const queue = new VideoQueue({ redis, store, env });
  const defaults = { wavidVersion: WAVID_VERSION, destination: queuedDestination(destination), ...placement };
  // Renewals go through the workers too: they hold the outputs and the credentials.
  return { prepareVideo: queuedPrepare(queue, defaults), republishOutput: queuedRepublish(queue, defaults), close: () => queue.close() };
}

/** A bucket input as a job takes it: its object and the hash the run found for it. */
function stagedObject(source: BucketInputs, input: string): StoredObject | undefined {
  const hashed = source.hashed(input);
  return hashed ? { ...source.objectOf(input), ...hashed } : undefined;
}

/**
 * With --queue, files travel through a prefix of a bucket the workers own. Outputs copied there, or inputs
 * taken from inside it, would mix the run's videos with the workers' files: refused. Inputs that hold it
 * pass over its keys, which are returned.
 */
function refuseTravelOverlap(travel: BucketLocation | null, inputs: BucketLocation | null, out: BucketLocation | null): string[] {
  if (!travel) return [];
  const where = bucketUrl(travel.bucket, travel.prefix);
  if (out && locationsOverlap(out, travel)) throw new UsageError(`--out ${bucketUrl(out.bucket, out.prefix)} overlaps ${where}, where files travel between the machines; give another prefix, or --bucket for another bucket`);
  if (!inputs || inputs.bucket !== travel.bucket) return [];
  if (isKeyBelow(inputs.prefix, travel.prefix)) throw new UsageError(`<folder> ${bucketUrl(inputs.bucket, inputs.prefix)} is inside ${where}, where files travel between the machines; give the folder your videos are in`);
  return isKeyBelow(travel.prefix, inputs.prefix) ? [travel.prefix] : [];
}

/** The keys of the inputs that are in `bucket`: no output is copied onto one. */
function inputKeysIn(source: BucketInputs, bucket: string): Set<string> {
  return new Set(source.location.bucket === bucket ? source.inputs.map((input) => source.objectOf(input.path).key) : []);
}

/** What a job says about publishing; endpoints, regions and credentials are each worker's own. */
function queuedDestination(destination: Destination | undefined): QueuedDestination | undefined {
  if (!destination) return undefined;
  if (destination.kind === 'media-id') return { kind: 'media-id', provider: destination.provider, baseUrl: destination.baseUrl ?? null };
  return { kind: 'link', bucket: destination.bucket, prefix: destination.prefix ?? null, expiresInSeconds: destination.expiresInSeconds ?? null, publicBaseUrl: destination.publicBaseUrl ?? null };
}

type RunValues = Partial<Record<keyof typeof STORE_OPTIONS | 'provider' | 'base-url', string>>;

/**
 * A bucket, a provider, or neither; both is a usage error, except with --queue, where the bucket carries
 * the files between the machines. Credentials are checked before any work.
 */
function destinationFrom(values: RunValues, env: NodeJS.ProcessEnv, queued: boolean): Destination | undefined {
  if (values.bucket !== undefined && values.provider !== undefined && !queued) throw new UsageError('give --bucket (a link) or --provider (a media id), not both');
  if (values.bucket !== undefined && values.provider === undefined) {
    const settings = storeSettings(values, values.bucket);
    return { kind: 'link', ...settings };
  }
  if (values.provider === undefined) {
    for (const option of ['prefix', 'endpoint', 'expires', 'public-base-url', 'base-url'] as const) {
      if (values[option] !== undefined) throw new UsageError(`--${option} needs --bucket or --provider`);
    }
    return undefined;
  }
  for (const option of ['prefix', 'expires', 'public-base-url'] as const) {
    if (values[option] !== undefined) throw new UsageError(`--${option} shapes links; --provider uploads for media ids, so leave it out`);
  }
  const name = values.provider;
  const provider = getProviderOrUsage(name);
  if (!provider.mediaIds) throw new UsageError(`${provider.name} takes links only: give --bucket to publish to instead (${PROVIDER_NAMES.filter((candidate) => getProvider(candidate).mediaIds).join(', ')} take media ids)`);
  const baseUrl = values['base-url'];
  try {
    if (baseUrl !== undefined) checkBaseUrl(baseUrl, 'baseUrl');
  } catch (error) {
    throw asUsageError(error);
  }
  try {
    // With --queue the workers upload, with the credentials of their own environment.
    if (!queued) resolveCredentials(provider, {}, env, { hasBaseUrl: baseUrl !== undefined });
  } catch (error) {
    throw asUsageError(error);
  }
  return { kind: 'media-id', provider: provider.name, baseUrl };
}

function getProviderOrUsage(name: string) {
  try {
    return getProvider(name);
  } catch {
    throw new UsageError(`--provider must be one of ${PROVIDER_NAMES.join(', ')}; got '${name}'`);
  }
}
