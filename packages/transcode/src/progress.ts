import type { RemediationAction } from './plan/plan-remediation.js';

/**
 * What `fixVideo` is doing: reading the input, measuring what its audio takes once encoded (before a
 * transcode that has to fill the cap), writing the output, or checking what it wrote.
 */
export type FixPhase = 'probe' | 'measure' | 'write' | 'verify';

/** A progress event of one file. Numbers only, so a CLI can draw a bar and a library caller can log. */
export interface FixProgress {
  phase: FixPhase;
  /** Known once the input has been probed. */
  action: RemediationAction | null;
  /** Encode attempt, from 1. */
  attempt: number;
  /** Share of the current write done, 0 to 1; null when it cannot be told. */
  fraction: number | null;
  /** Media seconds processed per second of wall time, as ffmpeg reports it. */
  speed: number | null;
}
