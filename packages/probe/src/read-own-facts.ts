import { ByteReader } from './byte-reader.js';
import { containerFromBrand, isImageBrand, looksLikeIsoBmff } from './container.js';
import { ProbeError } from './errors.js';
import { readIsoBmff } from './isobmff/read-isobmff.js';
import { emptyFacts } from './media-facts.js';
import { describeDetected, type OwnFacts } from './own-facts.js';
import { sniffFileType } from './sniff-file-type.js';

/** First bytes read from every file: enough for type sniffing and the opening boxes of an MP4. */
const HEAD_BYTES = 16 * 1024;

const MEDIA_MIME = /^(video|audio)\//;
const FFPROBE_CONTAINERS = ['mkv', 'webm', 'avi', 'flv', 'mts', 'mpg', 'asf', 'ogg'];

/**
 * Everything the probe reads from a file itself: the sniffed type and, for MP4/MOV/3GP, the boxes.
 * Runs inside the probe's worker with blocking reads, so one message to the worker is one probe.
 */
export async function readOwnFacts(path: string): Promise<OwnFacts> {
  const reader = openReader(path);
  try {
    const facts = emptyFacts(path, reader.size);
    if (reader.size === 0) return { facts: { ...facts, problem: { reason: 'empty', message: 'the file is empty (0 bytes)' } }, ffprobe: null, parserFailed: false };

    const head = await readOrFail(reader, path);
    const detected = await sniffFileType(head);
    facts.detected = detected;

    let ffprobe: OwnFacts['ffprobe'] = null;
    let parserFailed = false;
    if (looksLikeIsoBmff(head)) {
      const { parserFailed: failed } = await readIsoBmff(reader, head, facts);
      facts.source = 'isobmff';
      if (isImageBrand(facts.brand)) {
        facts.problem = { reason: 'not-media', message: `the file is a still image (${describeDetected(facts)}), not a video` };
      } else {
        facts.container = containerFromBrand(facts.brand);
        parserFailed = failed;
      }
    } else if (detected && !MEDIA_MIME.test(detected.mime) && !FFPROBE_CONTAINERS.includes(detected.ext)) {
      facts.problem = { reason: 'not-media', message: `the file is ${describeDetected(facts)}, not a video` };
    } else {
      ffprobe = { sniffed: detected !== null };
    }
    facts.bytesRead = reader.bytesRead;
    return { facts, ffprobe, parserFailed };
  } finally {
    reader.close();
  }
}

function openReader(path: string): ByteReader {
  try {
    return ByteReader.openBlocking(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ProbeError('not-found', `no such file: ${path}`, path, { cause: error });
    if (code === 'EISDIR') throw new ProbeError('not-a-file', `not a regular file: ${path}`, path, { cause: error });
    throw new ProbeError('read-failed', `cannot open ${path}: ${(error as Error).message}`, path, { cause: error });
  }
}

async function readOrFail(reader: ByteReader, path: string): Promise<Buffer> {
  try {
    return await reader.read(0, HEAD_BYTES);
  } catch (error) {
    throw new ProbeError('read-failed', `cannot read ${path}: ${(error as Error).message}`, path, { cause: error });
  }
}
