import type { ProbeErrorCode } from '../errors.js';
import type { OwnFacts } from '../own-facts.js';

/** One file for the worker to read. */
export interface WorkerRequest {
  id: number;
  path: string;
}

/** The worker's answer: the facts, a failure of the probe itself, or an exception from reading the bytes. */
export type WorkerReply =
  | { id: number; ok: true; result: OwnFacts }
  | { id: number; ok: false; error: { kind: 'probe'; code: ProbeErrorCode; message: string } | { kind: 'parse'; message: string } };

/** Sent once by a worker when its code is loaded and it takes files. */
export interface WorkerReady {
  ready: true;
}
