/** A box header read from bytes: where the box starts, how long it claims to be, and its header length. */
export interface BoxHeader {
  type: string;
  offset: number;
  size: number;
  headerSize: number;
}

export type BoxHeaderResult =
  | { ok: true; header: BoxHeader }
  | { ok: false; reason: 'short' | 'bad-type' | 'bad-size' | 'past-end'; message: string };

const PRINTABLE_TYPE = /^[\x20-\x7e]{4}$/;

export interface BoxPosition {
  /** Where the box starts in the file. */
  offset: number;
  /** Where the enclosing space ends: the file size for top-level boxes, the parent's end otherwise. */
  end: number;
  /** Offset in the file of `bytes[0]`. Default 0. */
  bytesStart?: number;
  /** Size 0 ("to the end of the file") is allowed only for a top-level box; anywhere else it is damage. */
  topLevel?: boolean;
}

/** Reads the box header at `position.offset` from `bytes`. */
export function readBoxHeader(bytes: Uint8Array, position: BoxPosition): BoxHeaderResult {
  const { offset, end, bytesStart = 0, topLevel = false } = position;
  const at = offset - bytesStart;
  if (at < 0 || at + 8 > bytes.length) return { ok: false, reason: 'short', message: `no box header at offset ${offset}` };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let size = view.getUint32(at);
  const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
  if (!PRINTABLE_TYPE.test(type)) {
    return { ok: false, reason: 'bad-type', message: `bytes at offset ${offset} are not a box header` };
  }
  let headerSize = 8;
  if (size === 1) {
    if (at + 16 > bytes.length) return { ok: false, reason: 'short', message: `box '${type}' at offset ${offset} is cut off in its header` };
    const high = view.getUint32(at + 8);
    const low = view.getUint32(at + 12);
    size = high * 2 ** 32 + low;
    headerSize = 16;
  } else if (size === 0) {
    if (!topLevel) return { ok: false, reason: 'bad-size', message: `box '${type}' at offset ${offset} has size 0, which only a top-level box may have` };
    size = end - offset;
  }
  if (type === 'uuid') headerSize += 16;
  if (size < headerSize) {
    return { ok: false, reason: 'bad-size', message: `box '${type}' at offset ${offset} claims ${size} bytes, less than its own header` };
  }
  if (offset + size > end) {
    return {
      ok: false,
      reason: 'past-end',
      message: `box '${type}' at offset ${offset} claims ${size} bytes but only ${end - offset} remain`,
    };
  }
  return { ok: true, header: { type, offset, size, headerSize } };
}
