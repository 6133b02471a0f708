import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_CSV, MANIFEST_JSON } from '../inputs/reserved-names.js';
import { manifestCsv, upsertEntry, type Manifest, type ManifestEntry, type RunSettings } from '../result-store/manifest.js';
import { parseManifest } from '../result-store/parse-manifest.js';
import { writeFileAtomic } from '../result-store/write-file-atomic.js';
import { isConfinedName } from './output-state.js';

/**
 * Step: the run's manifest on disk. It starts from the previous run's entries for inputs still in the
 * folder, and is rewritten atomically (JSON and CSV) after every entry, one write after another.
 */
export class ManifestStore {
  readonly jsonPath: string;
  readonly csvPath: string;
  /** What the previous run left, or null when there is no readable manifest. */
  previous: Manifest | null = null;
  /** Entries of the previous manifest dropped as not of an entry's shape, or naming an output outside the folder. */
  dropped = 0;
  private current: Manifest;
  private saving: Promise<void> = Promise.resolve();

  constructor(
    outDir: string,
    private readonly settings: RunSettings,
    private readonly now: () => number,
  ) {
    this.jsonPath = join(outDir, MANIFEST_JSON);
    this.csvPath = join(outDir, MANIFEST_CSV);
    this.current = { settings, updatedAt: this.stamp(), entries: [] };
  }

  /**
   * Reads the previous manifest; entries of inputs no longer in the folder go, as the manifest describes
   * the folder as it is, and so do entries not of an entry's shape or whose output path leads out of the
   * output folder (an edited manifest), counted in `dropped`: their inputs are done again.
   */
  async load(present: ReadonlySet<string>): Promise<void> {
    const read = parseManifest(await readFile(this.jsonPath, 'utf8').catch(() => ''));
    const confined = read?.manifest.entries.filter((entry) => entry.output === null || isConfinedName(entry.output)) ?? [];
    this.previous = read && { ...read.manifest, entries: confined };
    this.dropped = read ? read.dropped + read.manifest.entries.length - confined.length : 0;
    this.current = { settings: this.settings, updatedAt: this.stamp(), entries: (this.previous?.entries ?? []).filter((entry) => present.has(entry.input)) };
  }

  /** The previous run's entry for an input (by its path below the folder). */
  earlier(input: string): ManifestEntry | undefined {
    return this.previous?.entries.find((entry) => entry.input === input);
  }

  get manifest(): Manifest {
    return this.current;
  }

  /** Records an entry and queues a rewrite; resolves when that rewrite is done. */
  save(entry: ManifestEntry): Promise<void> {
    this.current = { ...this.current, updatedAt: this.stamp(), entries: upsertEntry(this.current.entries, entry) };
    const snapshot = this.current;
    this.saving = this.saving.then(() => this.write(snapshot));
    return this.saving;
  }

  /** Waits for queued rewrites, then writes the manifest once more as it stands. */
  async flush(): Promise<void> {
    await this.saving;
    await this.write(this.current);
  }

  private async write(manifest: Manifest): Promise<void> {
    await writeFileAtomic(this.jsonPath, `${JSON.stringify(manifest, null, 2)}\n`);
    await writeFileAtomic(this.csvPath, manifestCsv(manifest));
  }

  private stamp(): string {
    return new Date(this.now()).toISOString();
  }
}
