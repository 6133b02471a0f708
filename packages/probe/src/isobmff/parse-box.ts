import { createRequire } from 'node:module';
import type * as Mp4Box from 'mp4box';

// mp4box's CommonJS build: Node 20 loads it in about half the time of its ES module build, and every first
// probe waits for the worker that loads it.
const { BoxParser, Log, MP4BoxBuffer, MultiBufferStream } = createRequire(import.meta.url)('mp4box') as typeof Mp4Box;

// mp4box prints what it finds odd to the console, even at its quietest level. The probe reports
// problems as data, and a CLI's stderr is for people, so its messages are dropped.
Log.error = () => undefined;

/**
 * The parts of mp4box's parsed boxes the probe reads. Every field is optional because a real-world
 * or hostile file may lack any box, whatever mp4box's own types promise.
 */
export interface ParsedBox {
  type?: string;
  boxes?: ParsedBox[];
  [field: string]: unknown;
}

type BoxConstructor = new (size: number) => ParsedBox & { start: number; hdr_size: number; parse(stream: Mp4Box.MultiBufferStream): void };

/**
 * Parses one complete box (moov, moof, esds...) held in `bytes`, with all its children. The caller has checked
 * the tree with `findBoxTreeProblem`, so counts are bounded by the bytes; malformed contents still throw.
 */
export function parseBox(bytes: Uint8Array, type: string, headerSize: number): ParsedBox {
  const registry = (BoxParser as unknown as { box: Record<string, BoxConstructor | undefined> }).box;
  const Constructor = registry[type];
  if (!Constructor) throw new Error(`mp4box has no parser for '${type}'`);
  const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const stream = new MultiBufferStream(MP4BoxBuffer.fromArrayBuffer(copy, 0));
  const box = new Constructor(bytes.byteLength);
  box.start = 0;
  box.hdr_size = headerSize;
  stream.seek(headerSize);
  box.parse(stream);
  return box;
}

/** The first child box of `type`, or undefined. mp4box stores single children as named fields. */
export function child(box: ParsedBox | undefined, type: string): ParsedBox | undefined {
  const value = box?.[type];
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as ParsedBox;
  return box?.boxes?.find((candidate) => candidate.type === type);
}

/** Follows a path of child types: `path(trak, 'mdia', 'minf', 'stbl')`. */
export function path(box: ParsedBox | undefined, ...types: string[]): ParsedBox | undefined {
  let current = box;
  for (const type of types) current = child(current, type);
  return current;
}

export function numberField(box: ParsedBox | undefined, field: string): number | undefined {
  const value = box?.[field];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function numberList(box: ParsedBox | undefined, field: string): readonly number[] {
  const value = box?.[field];
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return value as readonly number[];
  return [];
}
