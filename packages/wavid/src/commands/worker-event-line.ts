import type { WorkerEvent } from '@wavid/queue';
import { terminalText } from '../cli/terminal-text.js';

/**
 * The line `wavid worker` prints for an event. Job names are bucket keys and file names, and messages quote
 * stores and providers: anyone may have put escape sequences in them, so the line is printed escaped. Pure.
 */
export function workerEventLine(event: WorkerEvent): string {
  return terminalText(eventLine(event));
}

function eventLine(event: WorkerEvent): string {
  const job = 'jobId' in event ? ` [job ${event.jobId.slice(0, 12)}]` : '';
  switch (event.type) {
    case 'started':
      return `started ${event.name}${job}${event.attempt > 1 ? ` (attempt ${event.attempt})` : ''}`;
    case 'completed':
      return `done ${event.name}${job}: ${event.result.reused ? 'already in the bucket' : event.result.action}, ${event.result.output.sizeBytes} bytes`;
    case 'failed':
      return `failed ${event.name}${job}: ${event.message} [${event.code}]${event.final ? '' : ', to be retried'}`;
    case 'handed-back':
      return `handed back ${event.name}${job}`;
    case 'error':
      return `wavid worker: ${event.message}`;
  }
}
