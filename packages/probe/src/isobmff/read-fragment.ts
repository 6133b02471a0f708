import { readBoxHeader } from './box-header.js';

/** One trun of a track fragment: where its data starts and what each sample says. */
export interface TrackRun {
  /** data_offset, relative to the fragment's base, when the run gives one. */
  dataOffset: number | null;
  sampleCount: number;
  /** Null where the run gives none and the defaults apply. */
  durations: (number | null)[];
  sizes: number[];
  /** Composition time offsets, only when the run carries them. */
  compositionOffsets: number[] | null;
}

/** What the probe reads of a traf: its track, defaults and runs. */
export interface TrackFragment {
  trackId: number;
  /** Absolute file offset sample data is counted from: tfhd's base_data_offset, else the moof's start. */
  baseOffset: number;
  defaultSampleDuration: number | null;
  defaultSampleSize: number | null;
  runs: TrackRun[];
}

const MAX_CHILDREN = 256;

/**
 * Reads the trafs of one moof held in `bytes` (which start at file offset `moofOffset`): tfhd and trun
 * only, read here rather than by a general box parser, so sample groups, auxiliary information and
 * whatever else a fragment holds are skipped by their headers. Samples per run are bounded by the
 * bytes the run holds, and at most `samplesLeft` are kept in all.
 */
export function readFragment(bytes: Uint8Array, moofOffset: number, samplesLeft: number): TrackFragment[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const moof = readBoxHeader(bytes, { offset: 0, end: bytes.length, topLevel: true });
  if (!moof.ok) throw new RangeError(moof.message);
  const fragments: TrackFragment[] = [];
  let left = samplesLeft;
  for (const traf of children(bytes, moof.header.headerSize, moof.header.size)) {
    if (traf.type !== 'traf') continue;
    let fragment: TrackFragment | null = null;
    for (const box of children(bytes, traf.offset + traf.headerSize, traf.offset + traf.size)) {
      const payload = box.offset + box.headerSize;
      const end = box.offset + box.size;
      if (box.type === 'tfhd') fragment = readTfhd(view, payload, end, moofOffset);
      else if (box.type === 'trun') {
        if (!fragment) throw new RangeError("a 'trun' comes before its track fragment header");
        const run = readTrun(view, payload, end, left);
        left -= run.durations.length;
        fragment.runs.push(run);
      }
    }
    if (fragment) fragments.push(fragment);
  }
  return fragments;
}

function* children(bytes: Uint8Array, start: number, end: number) {
  let at = start;
  for (let count = 0; at + 8 <= end; count++) {
    if (count >= MAX_CHILDREN) throw new RangeError(`a fragment holds more than ${MAX_CHILDREN} boxes in one place`);
    const result = readBoxHeader(bytes, { offset: at, end });
    if (!result.ok) throw new RangeError(result.message);
    yield result.header;
    at += result.header.size;
  }
}

function need(end: number, at: number, bytes: number, what: string): void {
  if (at + bytes > end) throw new RangeError(`'${what}' ends inside its fields`);
}

function readTfhd(view: DataView, payload: number, end: number, moofOffset: number): TrackFragment {
  need(end, payload, 8, 'tfhd');
  const flags = view.getUint32(payload) & 0xffffff;
  const fragment: TrackFragment = { trackId: view.getUint32(payload + 4), baseOffset: moofOffset, defaultSampleDuration: null, defaultSampleSize: null, runs: [] };
  let at = payload + 8;
  if (flags & 0x1) {
    need(end, at, 8, 'tfhd');
    fragment.baseOffset = view.getUint32(at) * 2 ** 32 + view.getUint32(at + 4);
    at += 8;
  }
  if (flags & 0x2) at += 4;
  if (flags & 0x8) {
    need(end, at, 4, 'tfhd');
    fragment.defaultSampleDuration = view.getUint32(at);
    at += 4;
  }
  if (flags & 0x10) {
    need(end, at, 4, 'tfhd');
    fragment.defaultSampleSize = view.getUint32(at);
  }
  return fragment;
}

function readTrun(view: DataView, payload: number, end: number, samplesLeft: number): TrackRun {
  need(end, payload, 8, 'trun');
  const version = view.getUint8(payload);
  const flags = view.getUint32(payload) & 0xffffff;
  const sampleCount = view.getUint32(payload + 4);
  let at = payload + 8;
  let dataOffset: number | null = null;
  if (flags & 0x1) {
    need(end, at, 4, 'trun');
    dataOffset = view.getInt32(at);
    at += 4;
  }
  if (flags & 0x4) at += 4;
  const fields = [0x100, 0x200, 0x400, 0x800].filter((bit) => (flags & bit) !== 0).length;
  if (fields > 0 && sampleCount * fields * 4 > end - at) throw new RangeError(`'trun' claims ${sampleCount} samples but holds room for ${Math.floor((end - at) / (fields * 4))}`);
  const run: TrackRun = { dataOffset, sampleCount, durations: [], sizes: [], compositionOffsets: flags & 0x800 ? [] : null };
  const kept = Math.min(sampleCount, Math.max(0, samplesLeft));
  for (let i = 0; i < kept; i++) {
    if (flags & 0x100) run.durations.push(view.getUint32((at += 4) - 4));
    else run.durations.push(null);
    if (flags & 0x200) run.sizes.push(view.getUint32((at += 4) - 4));
    if (flags & 0x400) at += 4;
    if (flags & 0x800) run.compositionOffsets?.push(version === 0 ? view.getUint32((at += 4) - 4) : view.getInt32((at += 4) - 4));
  }
  return run;
}
