import type { FixProgress } from '@wavid/transcode';

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
