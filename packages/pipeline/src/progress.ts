import type { PublishProgress } from '@wavid/publish';
import type { FixProgress } from '@wavid/transcode';

/** Where `prepare` is in its work. */
export type PrepareStage = 'fix' | 'publish';

export interface PrepareProgress {
  stage: PrepareStage;
  /** The fix's own event while fixing. */
  fix: FixProgress | null;
  /** The store's own event (hashing, uploading) while publishing a link. */
  publish: PublishProgress | null;
  /** Share of the current stage done, 0 to 1, when known. */
  fraction: number | null;
  /** What the step is doing, when whoever runs it says more than the stage (a queue worker's `transcode 40% 2.4x`). */
  activity?: FileActivity | undefined;
}

/** What one running file is doing, as the view shows it: `transcode 40% 2.4x`, `upload 80%`. */
export interface FileActivity {
  label: string;
  /** Share of this step done, 0 to 1, when known. */
  fraction: number | null;
  /** Media seconds per second of wall time, for encodes. */
  speed: number | null;
}

/** A fix's progress event as an activity: the action while writing, else the phase. */
export function fixActivity(event: FixProgress): FileActivity {
  const label = event.phase === 'write' ? `${event.action ?? 'write'}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}` : event.phase;
  return { label, fraction: event.phase === 'verify' ? 0.99 : event.fraction, speed: event.speed };
}
