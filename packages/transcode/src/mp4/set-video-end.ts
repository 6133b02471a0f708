import { open } from 'node:fs/promises';
import { videoEndPatches, type VideoEndProblem } from './video-end-patches.js';

/** wavid's own outputs have a moov of a few hundred kilobytes; anything far larger is not one of them. */
const MAX_MOOV_BYTES = 64 * 1024 * 1024;

/** What `setVideoEnd` did: `set`, `unchanged` (already right), or why it could not. */
export type SetVideoEndOutcome = 'set' | 'unchanged' | VideoEndProblem | 'no-moov';

/**
 * Makes the first video track of an MP4 that wavid just wrote end at `endSeconds`, by setting the duration
 * of its last frame in place (see `videoEndPatches`). Reads only the box headers up to the moov and the moov.
 */
export async function setVideoEnd(path: string, endSeconds: number): Promise<SetVideoEndOutcome> {
  const file = await open(path, 'r+');
  try {
    const { size } = await file.stat();
    const header = Buffer.alloc(16);
    for (let offset = 0; offset + 8 <= size; ) {
      await file.read(header, 0, 16, offset);
      let boxSize = header.readUInt32BE(0);
      if (boxSize === 1) boxSize = Number(header.readBigUInt64BE(8));
      else if (boxSize === 0) boxSize = size - offset;
      if (boxSize < 8) return 'no-moov';
      if (header.toString('latin1', 4, 8) === 'moov') {
        if (boxSize > MAX_MOOV_BYTES || offset + boxSize > size) return 'no-moov';
        const moov = Buffer.alloc(boxSize);
        await file.read(moov, 0, boxSize, offset);
        const result = videoEndPatches(moov, offset, endSeconds);
        if (result === null) return 'unchanged';
        if (!result.ok) return result.problem;
        for (const patch of result.patches) await file.write(patch.bytes, 0, patch.bytes.length, patch.offset);
        return 'set';
      }
      offset += boxSize;
    }
    return 'no-moov';
  } finally {
    await file.close();
  }
}
