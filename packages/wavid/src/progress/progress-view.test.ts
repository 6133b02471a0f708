import { describe, expect, it } from 'vitest';
import { formatSeconds, overallFraction, renderProgress, type ProgressState, type RunningFile } from './progress-view.js';

const running = new Map<number, RunningFile>([
  [2, { name: 'clips/b.mov', startedAt: 0, progress: { stage: 'fix', action: 'transcode', attempt: 1, fraction: 0.5, speed: 2.4 } }],
  [3, { name: 'clips/c.mkv', startedAt: 0, progress: null }],
]);
const state: ProgressState = { total: 4, finished: 2, running, startedAt: 0 };

describe('renderProgress', () => {
  it('draws the overall bar with ETA, then one line per running file', () => {
    expect(overallFraction(state)).toBeCloseTo(2.5 / 4);
    expect(renderProgress(state, 50_000)).toEqual([
      '[###############.........]  62%  2/4 files  50s elapsed ETA 30s',
      '  [############............]  50%  transcode  2.4x  clips/b.mov',
      '  [........................]   0%  starting  clips/c.mkv',
    ]);
  });

  it('shows the attempt when an encode is retried', () => {
    const retry = new Map<number, RunningFile>([[0, { name: 'a.mov', startedAt: 0, progress: { stage: 'fix', action: 'transcode', attempt: 2, fraction: 0.1, speed: null } }]]);
    expect(renderProgress({ total: 1, finished: 0, running: retry, startedAt: 0 }, 1000)[1]).toContain('transcode (attempt 2)');
  });
});

describe('formatSeconds', () => {
  it('writes durations short', () => {
    expect([12, 185, 3720].map(formatSeconds)).toEqual(['12s', '3m05s', '1h02m']);
  });
});
