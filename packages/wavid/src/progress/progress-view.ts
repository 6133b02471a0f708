import type { ProgressEvent } from '@wavid/pipeline';

/** What the terminal view knows about one running file. */
export interface RunningFile {
  name: string;
  /** Its latest progress event; null before the first. */
  progress: ProgressEvent | null;
  startedAt: number;
}

/** What a file's line says it is doing: the fix's action (and attempt) while writing, else the stage. */
export function progressLabel(event: ProgressEvent): string {
  if (event.stage === 'fix') return `${event.action}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`;
  return event.stage;
}

/** A file's share done as its bar shows it: checking the output is the last moment of a fix. */
export function progressFraction(event: ProgressEvent | null): number {
  if (!event) return 0;
  return event.stage === 'verify' ? 0.99 : (event.fraction ?? 0);
}

export interface ProgressState {
  total: number;
  finished: number;
  running: ReadonlyMap<number, RunningFile>;
  startedAt: number;
}

const BAR_WIDTH = 24;

/** Overall share done: finished files count whole, running files by their own fraction. */
export function overallFraction(state: ProgressState): number {
  if (state.total === 0) return 1;
  let running = 0;
  for (const file of state.running.values()) running += progressFraction(file.progress);
  return Math.min(1, (state.finished + running) / state.total);
}

/** The lines of the terminal view: an overall bar with ETA, then a line per running file. Pure. */
export function renderProgress(state: ProgressState, now: number, width = 100): string[] {
  const fraction = overallFraction(state);
  const elapsed = (now - state.startedAt) / 1000;
  const eta = fraction > 0.02 && fraction < 1 ? ` ETA ${formatSeconds((elapsed / fraction) * (1 - fraction))}` : '';
  const lines = [`${bar(fraction)} ${String(Math.floor(fraction * 100)).padStart(3)}%  ${state.finished}/${state.total} files  ${formatSeconds(elapsed)} elapsed${eta}`];
  for (const file of state.running.values()) {
    const progress = file.progress;
    const fraction = progressFraction(progress);
    const speed = progress?.stage === 'fix' && progress.speed ? `  ${progress.speed.toFixed(1)}x` : '';
    const label = truncate(file.name, Math.max(10, width - BAR_WIDTH - 40));
    lines.push(`  ${bar(fraction)} ${String(Math.floor(fraction * 100)).padStart(3)}%  ${progress ? progressLabel(progress) : 'starting'}${speed}  ${label}`);
  }
  return lines;
}

function bar(fraction: number): string {
  const filled = Math.round(Math.min(1, Math.max(0, fraction)) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
}

/** `1h02m`, `3m05s`, `12s`. */
export function formatSeconds(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const hours = Math.floor(whole / 3600);
  const minutes = Math.floor((whole % 3600) / 60);
  const rest = whole % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, '0')}m`;
  if (minutes > 0) return `${minutes}m${String(rest).padStart(2, '0')}s`;
  return `${rest}s`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}

/**
 * Draws the view on a terminal: finished lines scroll above, the live block is redrawn in place at
 * most every `intervalMs`.
 */
export class TerminalProgress {
  private drawnLines = 0;
  private lastDraw = 0;

  constructor(
    private readonly out: NodeJS.WritableStream,
    private readonly state: ProgressState,
    private readonly intervalMs = 150,
  ) {}

  /** Redraws when the last draw is old enough (or always with `force`). */
  update(force = false): void {
    const now = Date.now();
    if (!force && now - this.lastDraw < this.intervalMs) return;
    this.lastDraw = now;
    const width = (this.out as { columns?: number }).columns ?? 100;
    const lines = renderProgress(this.state, now, width).map((line) => line.slice(0, width - 1));
    this.out.write(`${this.clear()}${lines.join('\n')}\n`);
    this.drawnLines = lines.length;
  }

  /** Prints a permanent line above the live block. */
  log(line: string): void {
    this.out.write(`${this.clear()}${line}\n`);
    this.drawnLines = 0;
    this.update(true);
  }

  /** Removes the live block. */
  done(): void {
    this.out.write(this.clear());
    this.drawnLines = 0;
  }

  private clear(): string {
    return this.drawnLines > 0 ? `\u001b[${this.drawnLines}A\u001b[0J` : '';
  }
}
