import { close, closeSync, constants, fstatSync, open, openSync, read, readSync, stat } from 'node:fs';
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
    /** Reads block the calling thread: for the probe's worker, where one blocking read beats a round trip to the thread pool. */
    private readonly blocking = false,
  ) {}

  static async open(path: string): Promise<ByteReader> {
    // Opening a FIFO or a device blocks until something writes to it: look before opening.
    const stats = await statPath(path);
    if (!stats.isFile()) throw Object.assign(new Error(`not a regular file: ${path}`), { code: 'EISDIR' });
    return new ByteReader(await openFile(path, 'r'), stats.size);
  }

  /**
   * Opens a file for blocking reads; only for a worker thread, never the main one. Opening a FIFO or a
   * device would block: the descriptor is opened non-blocking and checked before any read.
   */
  static openBlocking(path: string): ByteReader {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile()) throw Object.assign(new Error(`not a regular file: ${path}`), { code: 'EISDIR' });
      return new ByteReader(fd, stats.size, true);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** Reads up to `length` bytes at `offset`; shorter at the end of the file, never past it. */
  async read(offset: number, length: number): Promise<Buffer> {
    const wanted = Math.max(0, Math.min(length, this.size - offset));
    const buffer = Buffer.alloc(wanted);
    let filled = 0;
    while (filled < wanted) {
      const bytesRead = this.blocking
        ? readSync(this.fd, buffer, filled, wanted - filled, offset + filled)
        : (await readFile(this.fd, buffer, filled, wanted - filled, offset + filled)).bytesRead;
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
    if (this.blocking) {
      closeSync(this.fd);
      return;
    }
    closeFile(this.fd).catch(() => undefined);
  }
}
