import { open, type FileHandle } from 'node:fs/promises';

/** Positioned reads from one file, counting what was read so benchmarks can prove header-only access. */
export class ByteReader {
  bytesRead = 0;

  private constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  static async open(path: string): Promise<ByteReader> {
    const handle = await open(path, 'r');
    try {
      const stats = await handle.stat();
      if (!stats.isFile()) throw Object.assign(new Error(`not a regular file: ${path}`), { code: 'EISDIR' });
      return new ByteReader(handle, stats.size);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  /** Reads up to `length` bytes at `offset`; shorter at the end of the file, never past it. */
  async read(offset: number, length: number): Promise<Buffer> {
    const wanted = Math.max(0, Math.min(length, this.size - offset));
    const buffer = Buffer.alloc(wanted);
    let filled = 0;
    while (filled < wanted) {
      const { bytesRead } = await this.handle.read(buffer, filled, wanted - filled, offset + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    this.bytesRead += filled;
    return filled === wanted ? buffer : buffer.subarray(0, filled);
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
