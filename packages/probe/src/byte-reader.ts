import { close, open, read, stat } from 'node:fs';
import { promisify } from 'node:util';

// The callback API: FileHandle's promise wrapper costs more than the few small reads a probe makes.
const openFile = promisify(open);
const closeFile = promisify(close);
const statPath = promisify(stat);
const readFile = promisify(read);

/** Positioned reads from one file, counting what was read so benchmarks can prove header-only access. */
export class ByteReader {
  bytesRead = 0;

  private constructor(
    private readonly fd: number,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<ByteReader> {
    // Opening a FIFO or a device blocks until something writes to it: look before opening.
    const stats = await statPath(path);
    if (!stats.isFile()) throw Object.assign(new Error(`not a regular file: ${path}`), { code: 'EISDIR' });
    return new ByteReader(await openFile(path, 'r'), stats.size);
  }

  /** Reads up to `length` bytes at `offset`; shorter at the end of the file, never past it. */
  async read(offset: number, length: number): Promise<Buffer> {
    const wanted = Math.max(0, Math.min(length, this.size - offset));
    const buffer = Buffer.alloc(wanted);
    let filled = 0;
    while (filled < wanted) {
      const { bytesRead } = await readFile(this.fd, buffer, filled, wanted - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    this.bytesRead += filled;
    return filled === wanted ? buffer : buffer.subarray(0, filled);
  }

  /**
   * Releases the file. Nothing waits on it: closing a descriptor that was only read from cannot lose
   * data, and waiting would add a round trip to the thread pool to every probe.
   */
  close(): void {
    closeFile(this.fd).catch(() => undefined);
  }
}
