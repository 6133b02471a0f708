import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { ProbeError } from '../errors.js';
import { emptyFacts } from '../media-facts.js';
import type { OwnFacts } from '../own-facts.js';
import type { UnreadableProblem } from '../media-facts.js';
import type { WorkerReady, WorkerReply, WorkerRequest } from './messages.js';

/** Heap a worker may use for one file. A real moov costs a few MB here; a hostile one is stopped at this. */
export const WORKER_HEAP_MB = 96;
/** How long reading one file's boxes may take by default. A real file takes milliseconds. */
export const DEFAULT_PARSE_TIMEOUT_MS = 10_000;

const WORKER_URL = new URL('./probe-worker.js', import.meta.url);

interface Job {
  request: WorkerRequest;
  timeoutMs: number;
  resolve: (result: OwnFacts) => void;
  reject: (error: unknown) => void;
}

interface Slot {
  worker: Worker | null;
  /** The worker has loaded its code: a file's time budget starts only then. */
  ready: boolean;
  job: Job | null;
  timer: NodeJS.Timeout | null;
}

/**
 * Long-lived workers that read files for the probe, one file at a time each: one message each way per
 * probe, and the main thread's event loop stays free. A worker that exceeds its heap or time budget is
 * ended and replaced, and its file is reported unreadable; the other files keep their verdicts.
 */
export class ProbePool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private nextId = 1;

  /** `workerUrl` is the script each worker runs: the probe's own, or a stand-in in tests. */
  constructor(
    size: number,
    private readonly workerUrl: URL = WORKER_URL,
  ) {
    this.slots = Array.from({ length: size }, () => ({ worker: null, ready: false, job: null, timer: null }));
  }

  read(path: string, timeoutMs: number, signal?: AbortSignal): Promise<OwnFacts> {
    return new Promise<OwnFacts>((resolve, reject) => {
      const job: Job = { request: { id: this.nextId++, path }, timeoutMs, resolve, reject };
      if (signal) {
        // The worker finishes the file anyway (milliseconds, or the budget); only the caller stops waiting.
        const onAbort = () => {
          const queued = this.queue.indexOf(job);
          if (queued >= 0) this.queue.splice(queued, 1);
          reject(signal.reason as Error);
        };
        signal.addEventListener('abort', onAbort, { once: true });
        const settle = <T>(done: (value: T) => void) => (value: T) => {
          signal.removeEventListener('abort', onAbort);
          done(value);
        };
        job.resolve = settle(resolve);
        job.reject = settle(reject);
      }
      this.queue.push(job);
      this.dispatch();
    });
  }

  /** Starts one worker now, if none is running, so the first probe does not wait for it to load. */
  warmUp(): void {
    const slot = this.slots[0];
    // Unreferenced until a file waits for it: a command that ends before probing (a usage error) exits at once.
    if (slot && !slot.worker) this.start(slot).unref();
  }

  private dispatch(): void {
    let starting = this.slots.filter((slot) => slot.worker && !slot.ready).length;
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      if (!slot.worker) {
        // A worker already starting takes the next file: another starts only for the files beyond those.
        if (this.queue.length > starting) {
          this.start(slot);
          starting++;
        }
        continue;
      }
      const worker = slot.worker;
      if (!slot.ready) {
        // A file waits for this worker: it keeps the process alive until it is ready.
        worker.ref();
        continue;
      }
      const job = this.queue.shift();
      if (!job) return;
      slot.job = job;
      worker.ref();
      slot.timer = setTimeout(() => { this.fail(slot, worker, timeoutProblem(job.timeoutMs)); }, job.timeoutMs);
      worker.postMessage(job.request);
    }
  }

  private start(slot: Slot): Worker {
    const worker = new Worker(this.workerUrl, {
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
    });
    slot.worker = worker;
    slot.ready = false;
    worker.ref();
    worker.on('message', (reply: WorkerReply | WorkerReady) => {
      if ('ready' in reply) {
        slot.ready = true;
        this.dispatch();
        if (!slot.job) worker.unref();
        return;
      }
      const job = slot.job;
      if (!job || reply.id !== job.request.id) return;
      this.finish(slot, worker);
      if (reply.ok) job.resolve(reply.result);
      else if (reply.error.kind === 'probe') job.reject(new ProbeError(reply.error.code, reply.error.message, job.request.path));
      else job.resolve(unreadable(job.request.path, { reason: 'corrupt', message: `the file's boxes cannot be read: ${reply.error.message}` }));
    });
    worker.on('error', (error: Error & { code?: string }) => {
      const problem: UnreadableProblem =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? { reason: 'unsupported', message: `reading the file's boxes needed more than ${WORKER_HEAP_MB} MB of memory, far more than a real video needs: the file is damaged or hostile` }
          : { reason: 'corrupt', message: `reading the file's boxes failed: ${error.message}` };
      this.fail(slot, worker, problem);
    });
    worker.on('exit', () => {
      if (slot.worker === worker) this.fail(slot, worker, { reason: 'corrupt', message: "the reader of the file's boxes stopped" });
    });
    return worker;
  }

  /** Ends a worker that ran over its budget or died; its file gets `problem`, and a fresh worker takes the queue. */
  private fail(slot: Slot, worker: Worker, problem: UnreadableProblem): void {
    if (slot.worker !== worker) return;
    const job = slot.job;
    this.finish(slot, worker);
    slot.worker = null;
    slot.ready = false;
    worker.removeAllListeners('exit');
    void worker.terminate();
    if (job) job.resolve(unreadable(job.request.path, problem));
    this.dispatch();
  }

  private finish(slot: Slot, worker: Worker): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
    slot.job = null;
    // An idle worker must not keep a CLI alive; it is kept for the next probe.
    worker.unref();
    queueMicrotask(() => { this.dispatch(); });
  }
}

function timeoutProblem(timeoutMs: number): UnreadableProblem {
  return { reason: 'timeout', message: `reading the file's boxes took longer than ${timeoutMs / 1000} s, far longer than a real video needs: the file is damaged or hostile` };
}

function unreadable(path: string, problem: UnreadableProblem): OwnFacts {
  return { facts: emptyFacts(path, 0, problem), ffprobe: null, parserFailed: false };
}

let shared: ProbePool | undefined;

/** The process's pool: as many workers as cores, up to four; each is started on first use. */
export function probePool(): ProbePool {
  shared ??= new ProbePool(Math.max(1, Math.min(4, availableParallelism())));
  return shared;
}

/**
 * Starts a probe worker ahead of the first probe: starting a thread and loading the box reader takes longer
 * than probing a file, and it runs beside the caller's own work. An idle worker does not keep a process alive.
 */
export function warmUpProbe(): void {
  probePool().warmUp();
}
