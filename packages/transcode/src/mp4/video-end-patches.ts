/** Bytes to write over a file at an offset; the file keeps its size. */
export interface BytePatch {
  offset: number;
  bytes: Uint8Array;
}

/** Why the end of the video could not be set; `null` from `videoEndPatches` means nothing needed doing. */
export type VideoEndProblem = 'no-video-track' | 'no-sample-table' | 'end-before-last-frame' | 'last-run-shared';

export type VideoEndResult = { ok: true; patches: BytePatch[] } | { ok: false; problem: VideoEndProblem };

interface Box {
  type: string;
  /** Offset of the box's header within the buffer. */
  start: number;
  /** Offset of the box's content (after the header). */
  content: number;
  end: number;
}

function children(view: DataView, start: number, end: number): Box[] {
  const boxes: Box[] = [];
  for (let offset = start; offset + 8 <= end; ) {
    let size = view.getUint32(offset);
    let header = 8;
    if (size === 1) {
      if (offset + 16 > end) break;
      size = Number(view.getBigUint64(offset + 8));
      header = 16;
    } else if (size === 0) {
      size = end - offset;
    }
    if (size < header || offset + size > end) break;
    const type = String.fromCharCode(view.getUint8(offset + 4), view.getUint8(offset + 5), view.getUint8(offset + 6), view.getUint8(offset + 7));
    boxes.push({ type, start: offset, content: offset + header, end: offset + size });
    offset += size;
  }
  return boxes;
}

function child(view: DataView, parent: Box | undefined, type: string): Box | undefined {
  return parent && children(view, parent.content, parent.end).find((box) => box.type === type);
}

/** A duration field of a full box: 32 bits in version 0, 64 in version 1. */
interface DurationField {
  offset: number;
  wide: boolean;
  value: number;
}

function readDuration(view: DataView, offset: number, wide: boolean): DurationField {
  return { offset, wide, value: wide ? Number(view.getBigUint64(offset)) : view.getUint32(offset) };
}

function writeDuration(field: DurationField, value: number, moovOffset: number): BytePatch {
  const bytes = new Uint8Array(field.wide ? 8 : 4);
  const out = new DataView(bytes.buffer);
  if (field.wide) out.setBigUint64(0, BigInt(value));
  else out.setUint32(0, value);
  return { offset: moovOffset + field.offset, bytes };
}

/** mvhd and mdhd: timescale and duration after version, flags, creation and modification times. */
function headerTiming(view: DataView, box: Box): { timescale: number; duration: DurationField } {
  const wide = view.getUint8(box.content) === 1;
  const timescaleAt = box.content + (wide ? 20 : 12);
  return { timescale: view.getUint32(timescaleAt), duration: readDuration(view, timescaleAt + 4, wide) };
}

/** tkhd: the duration follows the track id and a reserved word. */
function trackDuration(view: DataView, box: Box): DurationField {
  const wide = view.getUint8(box.content) === 1;
  return readDuration(view, box.content + (wide ? 28 : 20), wide);
}

/**
 * The patches that make the first video track of an MP4 end at `endSeconds` by changing only the
 * duration of its last sample, and the durations of the track, its edit and the movie with it. Every
 * field keeps its size, so chunk offsets stay valid. ffmpeg writes the last frame of a variable frame
 * rate encode with no duration (4.x) or one average frame (5.x), which shortens or stretches the clip's
 * end; the source knows how long its last frame lasts. Pure; `moov` is the whole moov box, found at
 * `moovOffset` in the file. `null` when the track already ends there.
 */
export function videoEndPatches(moov: Uint8Array, moovOffset: number, endSeconds: number): VideoEndResult | null {
  const view = new DataView(moov.buffer, moov.byteOffset, moov.byteLength);
  const [moovBox] = children(view, 0, moov.byteLength);
  const mvhd = child(view, moovBox, 'mvhd');
  if (!moovBox || moovBox.type !== 'moov' || !mvhd) return { ok: false, problem: 'no-video-track' };
  const movie = headerTiming(view, mvhd);
  const traks = children(view, moovBox.content, moovBox.end).filter((box) => box.type === 'trak');
  const video = traks.find((trak) => {
    const hdlr = child(view, child(view, trak, 'mdia'), 'hdlr');
    return hdlr !== undefined && hdlr.content + 12 <= hdlr.end && view.getUint32(hdlr.content + 8) === 0x76696465; // 'vide'
  });
  const mdia = child(view, video, 'mdia');
  const mdhd = child(view, mdia, 'mdhd');
  const tkhd = child(view, video, 'tkhd');
  const stts = child(view, child(view, child(view, mdia, 'minf'), 'stbl'), 'stts');
  if (!video || !mdhd || !tkhd) return { ok: false, problem: 'no-video-track' };
  if (!stts || stts.content + 8 > stts.end) return { ok: false, problem: 'no-sample-table' };

  const entries = Math.min(view.getUint32(stts.content + 4), Math.floor((stts.end - stts.content - 8) / 8));
  if (entries === 0) return { ok: false, problem: 'no-sample-table' };
  let total = 0;
  for (let index = 0; index < entries; index++) total += view.getUint32(stts.content + 8 + index * 8) * view.getUint32(stts.content + 12 + index * 8);
  const lastAt = stts.content + 8 + (entries - 1) * 8;
  const lastCount = view.getUint32(lastAt);
  const lastDelta = view.getUint32(lastAt + 4);

  // An edit list can delay the track (an empty edit) and start it inside the media (media_time).
  const media = headerTiming(view, mdhd);
  const elst = child(view, child(view, video, 'edts'), 'elst');
  let delayMovieTicks = 0;
  let mediaTime = 0;
  let segment: DurationField | null = null;
  if (elst) {
    const wide = view.getUint8(elst.content) === 1;
    const size = wide ? 20 : 12;
    const count = Math.min(view.getUint32(elst.content + 4), Math.floor((elst.end - elst.content - 8) / size));
    for (let index = 0; index < count; index++) {
      const at = elst.content + 8 + index * size;
      const duration = readDuration(view, at, wide);
      const time = wide ? Number(view.getBigInt64(at + 8)) : view.getInt32(at + 4);
      if (time === -1) delayMovieTicks += duration.value;
      else if (segment === null) [segment, mediaTime] = [duration, time];
    }
  }

  const wantedTotal = Math.round((endSeconds - delayMovieTicks / movie.timescale) * media.timescale) + mediaTime;
  const newLast = wantedTotal - (total - lastDelta);
  if (newLast === lastDelta) return null;
  if (newLast <= 0) return { ok: false, problem: 'end-before-last-frame' };
  if (lastCount !== 1) return { ok: false, problem: 'last-run-shared' };

  const patches: BytePatch[] = [];
  const delta = new Uint8Array(4);
  new DataView(delta.buffer).setUint32(0, newLast);
  patches.push({ offset: moovOffset + lastAt + 4, bytes: delta });
  patches.push(writeDuration(media.duration, wantedTotal, moovOffset));
  const presentedMovieTicks = Math.round(((wantedTotal - mediaTime) / media.timescale) * movie.timescale);
  if (segment) patches.push(writeDuration(segment, presentedMovieTicks, moovOffset));
  const videoTrackTicks = delayMovieTicks + presentedMovieTicks;
  patches.push(writeDuration(trackDuration(view, tkhd), videoTrackTicks, moovOffset));
  // The movie lasts as long as its longest track.
  const others = traks.filter((trak) => trak !== video).map((trak) => {
    const header = child(view, trak, 'tkhd');
    return header ? trackDuration(view, header).value : 0;
  });
  patches.push(writeDuration(movie.duration, Math.max(videoTrackTicks, ...others), moovOffset));
  return { ok: true, patches };
}
