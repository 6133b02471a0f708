// The probe's worker: reads and parses one file per message, with blocking reads, inside the memory
// limits the pool gave it. A file that makes parsing run away takes down this thread, not the process.
import { parentPort } from 'node:worker_threads';
import { ProbeError } from '../errors.js';
import { readOwnFacts } from '../read-own-facts.js';
import type { WorkerReady, WorkerReply, WorkerRequest } from './messages.js';

// Whatever a parser prints is not for the CLI's stdout, which may carry JSON: the worker prints nothing.
for (const stream of [process.stdout, process.stderr]) stream.write = () => true;

const port = parentPort;
if (!port) throw new Error('the probe worker runs only as a worker thread');

port.on('message', (request: WorkerRequest) => {
  void answer(request).then((reply) => { port.postMessage(reply); });
});

port.postMessage({ ready: true } satisfies WorkerReady);

async function answer(request: WorkerRequest): Promise<WorkerReply> {
  try {
    return { id: request.id, ok: true, result: await readOwnFacts(request.path) };
  } catch (error) {
    if (error instanceof ProbeError) return { id: request.id, ok: false, error: { kind: 'probe', code: error.code, message: error.message } };
    return { id: request.id, ok: false, error: { kind: 'parse', message: error instanceof Error ? error.message : String(error) } };
  }
}
