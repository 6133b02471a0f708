import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { bucketInputs, isConfinedName, MANIFEST_CSV, MANIFEST_JSON, prepare, REPORT_HTML, type BucketInputs, type CampaignOptions, type OutputStateReader } from '@wavid/pipeline';
import { bucketUrl, createStoreClient, downloadObject, getBytes, hashFile, objectState, parseBucketUrl, putBytes, type BucketLocation } from '@wavid/publish';
import { asUsageError } from '../cli/library-errors.js';
import { terminalText } from '../cli/terminal-text.js';

type StoreClient = ReturnType<typeof createStoreClient>;

/** `s3://bucket/prefix` of a command line, or a usage error naming `option`. */
export function bucketLocationOf(text: string, option: string): BucketLocation {
  try {
    return parseBucketUrl(text, option);
  } catch (error) {
    throw asUsageError(error);
  }
}

/** Lists the inputs below a bucket location; keys refused as unsafe names are reported on stderr, escaped. */
export async function listBucketInputs(client: StoreClient, location: BucketLocation, options: { passOver: readonly string[]; stderr: NodeJS.WritableStream; signal: AbortSignal }): Promise<BucketInputs> {
  const { stderr } = options;
  const listed = await bucketInputs(client, location, { passOver: options.passOver, signal: options.signal });
  for (const { key, reason } of listed.refused) {
    const why = reason === 'name-too-long' ? 'a part of its name is too long for a file name' : "its name is not a plain path below the prefix (an empty, '.' or '..' part, a backslash, a NUL)";
    stderr.write(`wavid run: passed over ${terminalText(bucketUrl(location.bucket, key))}: ${why} [${reason}]\n`);
  }
  return listed;
}

/**
 * `prepare` for inputs in a bucket, on this machine: each input is downloaded to a scratch folder, checked
 * against the hash it was listed with (it may have changed since), prepared, and removed.
 */
export function localBucketPrepare(client: StoreClient, inputs: BucketInputs, scratch: string): NonNullable<CampaignOptions['prepareVideo']> {
  let next = 0;
  return async (input, options) => {
    const { bucket, key } = inputs.objectOf(input);
    const local = join(scratch, `${++next}${extname(key).toLowerCase()}`);
    try {
      await downloadObject(client, bucket, key, local, options.signal);
      const listed = inputs.hashed(input);
      const fetched = await hashFile(local, { signal: options.signal });
      if (listed && listed.sha256 !== fetched.sha256) throw new InputChangedError(`${bucketUrl(bucket, key)} changed while the run read it; run again`);
      return { ...(await prepare(local, options)), input };
    } finally {
      await rm(local, { force: true });
    }
  };
}

/** The input's bytes changed between hashing and fetching: the next run sees the new ones. */
class InputChangedError extends Error {
  override readonly name = 'InputChangedError';
  readonly code = 'input-changed';
  readonly recovery = 'retry';
}

/**
 * Outputs, manifest and report in a bucket. The run keeps its manifest, thumbnails and report in a local
 * working folder: the manifest is fetched from the bucket first (so a run resumes), and the manifest, its CSV
 * and the report are put back at the end, also after a failure or a cancel.
 */
export interface BucketOutput {
  location: BucketLocation;
  /** The local working folder. */
  workDir: string;
  outputState: OutputStateReader;
  /** Where a file of the working folder goes in the bucket. */
  urlOf(name: string): string;
  /** Puts the manifest, its CSV and the report in the bucket, then removes the working folder. */
  finish(): Promise<void>;
}

export async function openBucketOutput(client: StoreClient, location: BucketLocation, signal: AbortSignal): Promise<BucketOutput> {
  const keyOf = (name: string) => (location.prefix === '' ? name : `${location.prefix}/${name}`);
  const workDir = await mkdtemp(join(tmpdir(), 'wavid-run-'));
  try {
    const manifest = await getBytes(client, location.bucket, keyOf(MANIFEST_JSON), signal);
    if (manifest) await writeFile(join(workDir, MANIFEST_JSON), manifest);
  } catch (error) {
    await rm(workDir, { recursive: true, force: true });
    throw error;
  }
  return {
    location,
    workDir,
    // The manifest came from the bucket, where anyone may have edited it: a name it records is confined before use.
    outputState: (name, stateSignal) => (isConfinedName(name) && !name.includes('\\') ? objectState(client, location.bucket, keyOf(name), stateSignal) : Promise.resolve(null)),
    urlOf: (name) => bucketUrl(location.bucket, keyOf(name)),
    async finish() {
      try {
        for (const [name, type] of [[MANIFEST_JSON, 'application/json'], [MANIFEST_CSV, 'text/csv'], [REPORT_HTML, 'text/html; charset=utf-8']] as const) {
          const bytes = await readFile(join(workDir, name)).catch(() => null);
          if (bytes) await putBytes(client, location.bucket, keyOf(name), bytes, type);
        }
      } finally {
        await rm(workDir, { recursive: true, force: true });
      }
    },
  };
}
