import type { VideoJobResult } from '@wavid/queue';
import { describe, expect, it } from 'vitest';
import { workerEventLine } from './worker-event-line.js';

describe('workerEventLine', () => {
  const jobId = 'a'.repeat(64);
  const name = 'clip\u001b]0;owned\u0007\u001b[2J.mp4';

  it.each([
    [{ type: 'started', jobId, name, attempt: 2 }, 'started clip\\x1b]0;owned\\x07\\x1b[2J.mp4 [job aaaaaaaaaaaa] (attempt 2)'],
    [{ type: 'failed', jobId, name: 'x.mp4', code: 'store-failed', message: 'cannot read s3://b/k\u001b[2J\nforged line', final: false }, 'failed x.mp4 [job aaaaaaaaaaaa]: cannot read s3://b/k\\x1b[2J\\x0aforged line [store-failed], to be retried'],
    [{ type: 'handed-back', jobId, name: 'right\u202eto-left.mp4' }, 'handed back right\\u202eto-left.mp4 [job aaaaaaaaaaaa]'],
    [{ type: 'error', message: 'lost\u009b31m Redis' }, 'wavid worker: lost\\x9b31m Redis'],
  ] as const)('prints %j escaped, on one line', (event, line) => {
    expect(workerEventLine(event)).toBe(line);
  });

  it('prints a completed job with its action and size', () => {
    const result = { reused: false, action: 'remux', output: { sizeBytes: 1234 } } as unknown as VideoJobResult;
    expect(workerEventLine({ type: 'completed', jobId, name, result })).toBe('done clip\\x1b]0;owned\\x07\\x1b[2J.mp4 [job aaaaaaaaaaaa]: remux, 1234 bytes');
  });
});
