import type { CommandIo } from '../cli/command.js';
import type { ProgressEvent } from '@wavid/pipeline';
import { TerminalProgress, type ProgressState, type RunningFile } from './progress-view.js';
import { terminalText } from '../cli/terminal-text.js';

/**
 * How a long command shows its files: a live view on a terminal, numbered plain lines otherwise, and
 * nothing at all when it prints a JSON document. Keys identify running files (an index, a path).
 */
export class ProgressOutput<Key> {
  private readonly state: ProgressState & { running: Map<number, RunningFile> };
  private readonly view: TerminalProgress | null;
  private readonly slots = new Map<Key, number>();

  constructor(
    private readonly io: CommandIo,
    private readonly quiet: boolean,
    total = 0,
  ) {
    this.state = { total, finished: 0, running: new Map(), startedAt: Date.now() };
    this.view = !quiet && io.interactive ? new TerminalProgress(io.stdout, this.state) : null;
  }

  set total(value: number) {
    this.state.total = value;
  }

  start(key: Key, name: string): void {
    const slot = this.slots.size;
    this.slots.set(key, slot);
    this.state.running.set(slot, { name: terminalText(name), progress: null, startedAt: Date.now() });
    this.view?.update(true);
  }

  progress(key: Key, event: ProgressEvent): void {
    const file = this.state.running.get(this.slots.get(key) ?? -1);
    if (file) file.progress = event;
    this.view?.update();
  }

  /** A file is done: its line scrolls above the live view, or is printed numbered. */
  finish(key: Key, line: string): void {
    this.state.running.delete(this.slots.get(key) ?? -1);
    this.state.finished++;
    if (this.quiet) return;
    if (this.view) this.view.log(line);
    else this.io.stdout.write(`[${this.state.finished}/${this.state.total}] ${line}\n`);
  }

  done(): void {
    this.view?.done();
  }
}
