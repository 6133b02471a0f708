/**
 * The steps work on one video reports progress for, in the order they come: a queue worker's `download` of
 * its input, the fix's `probe`, `measure` (before a transcode that fills the cap: the audio encoded alone,
 * then the encoder's first pass over the picture), `fix` and `verify`, and publishing (`publish` as it
 * starts, then `hash` and `upload` of the bytes); the folder run also hashes its inputs and makes a
 * `thumbnail` of each output.
 */
export type ProgressStage = 'download' | 'probe' | 'measure' | 'fix' | 'verify' | 'publish' | 'hash' | 'upload' | 'thumbnail';

interface ProgressFields {
  /** The input the event is about; set by the calls that work on several (`prepareFolder`, the folder run). */
  file?: string | undefined;
  /** Share of this step done, 0 to 1; null when it cannot be told. */
  fraction: number | null;
}

/**
 * The one progress event of every layer: transcode, publish, the pipeline, a queue worker (as its job's
 * progress, so it is plain JSON) and the CLI's terminal view. Numbers only, so a CLI can draw a bar and a
 * library caller can log; `stage` tells which fields there are.
 */
export type ProgressEvent =
  /** ffmpeg writes the output: the action the plan chose and which encode attempt, from 1. */
  | (ProgressFields & { stage: 'fix'; action: 'copy' | 'remux' | 'transcode'; attempt: number; /** Media seconds per second of wall time, as ffmpeg reports it. */ speed: number | null })
  /** Bytes hashed, then uploaded, of `total`; null when a step does not count them. */
  | (ProgressFields & { stage: 'hash' | 'upload'; loaded: number | null; total: number | null })
  /** Steps measured by nothing finer than their start: reading the input, checking the output, publishing, a download, a thumbnail. */
  | (ProgressFields & { stage: 'download' | 'probe' | 'measure' | 'verify' | 'publish' | 'thumbnail' });
