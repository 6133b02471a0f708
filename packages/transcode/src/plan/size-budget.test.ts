import { describe, expect, it } from 'vitest';
import { h264LevelFor } from './h264-level.js';
import { budgetAfterUndershoot, budgetBetween, MIN_CAP_SHARE, nextVideoBitrate } from './retry-bitrate.js';
import { audioBitrateFor, candidateSizes, frameRateCapFor, MAX_BITS_PER_PIXEL, MIN_BITS_PER_PIXEL, planBudget, type BudgetRequest } from './size-budget.js';

const request: BudgetRequest = {
  durationSeconds: 60,
  maxSizeBytes: 16_000_000,
  targetFraction: 0.96,
  displayWidth: 1920,
  displayHeight: 1080,
  frameRate: 30,
  audioChannels: 2,
};

describe('planBudget', () => {
  it('spends the target on audio, container and video, never the whole cap', () => {
    const result = planBudget(request);
    if (!result.fits) throw new Error('expected a budget');
    const { budget } = result;
    expect(budget.targetBytes).toBe(15_360_000);
    expect(budget.audioBitrate).toBe(128_000);
    const spent = budget.containerBytes + ((budget.videoBitrate + budget.audioBitrate) * 60) / 8;
    expect(spent).toBeLessThanOrEqual(budget.targetBytes);
    expect(spent).toBeGreaterThan(budget.targetBytes - 100);
  });

  it('downscales when bits per pixel would be too low, and picks a level for the result', () => {
    const result = planBudget(request);
    if (!result.fits) throw new Error('expected a budget');
    // About 1.9 Mbit/s is below the floor for 1080p30 (3.7 Mbit/s) but enough for 720p30 (1.66 Mbit/s).
    expect(result.budget).toMatchObject({ width: 1280, height: 720, level: 3.1 });
    expect(result.budget.bitsPerPixel).toBeGreaterThanOrEqual(MIN_BITS_PER_PIXEL);
  });

  it('keeps the source size for a short clip, within level 4.1', () => {
    const result = planBudget({ ...request, durationSeconds: 10 });
    // About 12 Mbit/s on average with peaks at twice that: above level 4's 20 Mbit/s.
    expect(result).toMatchObject({ fits: true, budget: { width: 1920, height: 1080, level: 4.1 } });
  });

  it('does not spend more than the picture can use on a short clip', () => {
    const result = planBudget({ ...request, durationSeconds: 2, displayWidth: 320, displayHeight: 240 });
    if (!result.fits) throw new Error('expected a budget');
    expect(result.budget.videoBitrate).toBe(0.4 * 320 * 240 * 30);
    expect(result.budget.targetBytes).toBeLessThan(1_000_000);
  });

  it('steps 1080p60 down to 720p60, which level 4.1 allows', () => {
    const result = planBudget({ ...request, durationSeconds: 30, frameRate: 60 });
    expect(result).toMatchObject({ fits: true, budget: { width: 1280, height: 720, level: 3.2 } });
  });

  it('budgets a 240 fps source at the 60 fps it is thinned to, with the level for 60 fps', () => {
    // Budgeting at 120 fps while all 240 were written gave a level that allows half the frames.
    const result = planBudget({ ...request, durationSeconds: 30, displayWidth: 1280, displayHeight: 720, frameRate: 240 });
    if (!result.fits) throw new Error('expected a budget');
    const { budget } = result;
    expect(budget).toMatchObject({ width: 1280, height: 720, frameRate: 60, frameRateCap: 60, level: 3.2 });
    expect(h264LevelFor({ width: budget.width, height: budget.height, frameRate: 60, peakBitrate: budget.videoBitrate * 2 })).toBe(budget.level);
    expect(budget.bitsPerPixel).toBeCloseTo(budget.videoBitrate / (1280 * 720 * 60));
  });

  it('keeps the timing of sources at 60 fps or less', () => {
    for (const frameRate of [null, 24, 29.97, 59.94, 60]) {
      const result = planBudget({ ...request, frameRate });
      expect(result).toMatchObject({ fits: true, budget: { frameRateCap: null, frameRate: frameRate ?? 30 } });
    }
  });

  it('keeps portrait pictures portrait', () => {
    const result = planBudget({ ...request, displayWidth: 1080, displayHeight: 1920 });
    expect(result).toMatchObject({ fits: true, budget: { width: 720, height: 1280 } });
  });

  it('budgets a clip without audio with no audio bitrate', () => {
    const result = planBudget({ ...request, audioChannels: null });
    expect(result).toMatchObject({ fits: true, budget: { audioBitrate: 0 } });
  });

  it('gives the picture what the measured audio leaves of its bitrate', () => {
    const nominal = planBudget(request);
    if (!nominal.fits) throw new Error('expected a budget');
    expect(nominal.budget.audioBytes).toBe((128_000 * 60) / 8);
    // A tone encoded at 128 kbit/s took about half of it.
    const measured = planBudget({ ...request, measuredAudio: { bitrate: 128_000, bytes: 500_000 } });
    if (!measured.fits) throw new Error('expected a budget');
    expect(measured.budget).toMatchObject({ audioBitrate: 128_000, audioBytes: 500_000, targetBytes: 15_360_000 });
    expect(measured.budget.videoBitrate - nominal.budget.videoBitrate).toBeCloseTo(((960_000 - 500_000) * 8) / 60, -1);
    const spent = measured.budget.containerBytes + measured.budget.audioBytes + (measured.budget.videoBitrate * 60) / 8;
    expect(spent).toBeLessThanOrEqual(measured.budget.targetBytes);
    expect(spent).toBeGreaterThan(measured.budget.targetBytes - 100);
  });

  it('ignores audio measured at another bitrate than the one it picks', () => {
    const nominal = planBudget(request);
    expect(planBudget({ ...request, measuredAudio: { bitrate: 96_000, bytes: 500_000 } })).toEqual(nominal);
  });

  it('keeps the measured audio in the target of a clip the picture cannot use the cap for', () => {
    const result = planBudget({ ...request, durationSeconds: 2, displayWidth: 320, displayHeight: 240, measuredAudio: { bitrate: 128_000, bytes: 10_000 } });
    if (!result.fits) throw new Error('expected a budget');
    expect(result.budget.targetBytes).toBe(Math.ceil(result.budget.containerBytes + 10_000 + (result.budget.videoBitrate * 2) / 8));
  });

  it('refuses a clip that cannot fit and says how long one can be', () => {
    const result = planBudget({ ...request, durationSeconds: 3600 });
    expect(result).toMatchObject({ fits: false });
    if (result.fits) return;
    expect(result.maxDurationSeconds).toBe(791);
    // A clip of that length does fit.
    expect(planBudget({ ...request, durationSeconds: result.maxDurationSeconds }).fits).toBe(true);
  });
});

describe('frameRateCapFor', () => {
  it('caps only sources that average more than 60 fps', () => {
    expect([null, 30, 59.94, 60, 60.01, 120, 240].map(frameRateCapFor)).toEqual([null, null, null, null, 60, 60, 60]);
  });
});

describe('candidateSizes', () => {
  it('goes down the ladder from the source size, even sizes only', () => {
    expect(candidateSizes(1001, 563).slice(0, 3)).toEqual([
      { width: 1000, height: 562 },
      { width: 960, height: 540 },
      { width: 854, height: 480 },
    ]);
  });

  it('shrinks pictures above 1080p to 1080p first', () => {
    expect(candidateSizes(3840, 2160)[0]).toEqual({ width: 1920, height: 1080 });
  });
});

describe('audioBitrateFor', () => {
  it('thins the audio as the budget shrinks, and halves it for mono', () => {
    expect([2_000_000, 500_000, 250_000, 100_000].map((total) => audioBitrateFor(total, 2))).toEqual([128_000, 96_000, 64_000, 48_000]);
    expect(audioBitrateFor(2_000_000, 1)).toBe(64_000);
  });
});

describe('h264LevelFor', () => {
  it.each([
    [{ width: 320, height: 240, frameRate: 30, peakBitrate: 1_000_000 }, 2],
    [{ width: 640, height: 360, frameRate: 30, peakBitrate: 2_000_000 }, 3],
    [{ width: 1280, height: 720, frameRate: 30, peakBitrate: 4_000_000 }, 3.1],
    [{ width: 1280, height: 720, frameRate: 60, peakBitrate: 4_000_000 }, 3.2],
    [{ width: 1920, height: 1080, frameRate: 30, peakBitrate: 8_000_000 }, 4],
    [{ width: 1920, height: 1080, frameRate: 30, peakBitrate: 30_000_000 }, 4.1],
    [{ width: 1920, height: 1080, frameRate: 60, peakBitrate: 8_000_000 }, 4.2],
  ])('%o needs level %s', (query, level) => {
    expect(h264LevelFor(query)).toBe(level);
  });
});

describe('nextVideoBitrate', () => {
  it('scales the video share of an overshoot away, with a margin', () => {
    const budget = { targetBytes: 1_000_000, videoBitrate: 800_000, audioBitrate: 64_000, audioBytes: 80_000, width: 640, height: 360, frameRate: 30, frameRateCap: null, bitsPerPixel: 0.1, containerBytes: 10_000, level: 3 };
    // 10 s: audio 80,000 bytes + container 10,000; the video took 1,010,000 bytes where 910,000 were wanted.
    expect(nextVideoBitrate({ budget, actualBytes: 1_100_000 })).toBe(Math.floor(800_000 * (910_000 / 1_010_000) * 0.97));
  });

  it('takes the audio at its measured size', () => {
    const budget = { targetBytes: 1_000_000, videoBitrate: 800_000, audioBitrate: 64_000, audioBytes: 40_000, width: 640, height: 360, frameRate: 30, frameRateCap: null, bitsPerPixel: 0.1, containerBytes: 10_000, level: 3 };
    // The audio took 40,000 bytes: the video took 1,050,000 where 950,000 were wanted.
    expect(nextVideoBitrate({ budget, actualBytes: 1_100_000 })).toBe(Math.floor(800_000 * (950_000 / 1_050_000) * 0.97));
  });
});

describe('budgetAfterUndershoot', () => {
  // 300 s at 16 MB: the budget planBudget gives a five-minute stereo clip.
  const planned = planBudget({ durationSeconds: 300, maxSizeBytes: 16_000_000, targetFraction: 0.94, displayWidth: 1920, displayHeight: 1080, frameRate: 30, audioChannels: 2 });
  if (!planned.fits) throw new Error('a five-minute clip fits 16 MB');
  const budget = planned.budget;
  const request = { budget, maxSizeBytes: 16_000_000 };

  it('asks for more video bitrate when an output used under 90% of the cap, aimed at the target again', () => {
    const bigger = budgetAfterUndershoot({ ...request, actualBytes: 12_800_000 });
    if (!bigger) throw new Error('an 80% output is encoded again');
    const fixedBytes = budget.audioBytes + budget.containerBytes;
    expect(budget.audioBytes).toBe((budget.audioBitrate * 300) / 8);
    expect(bigger.videoBitrate).toBe(Math.floor(budget.videoBitrate * ((budget.targetBytes - fixedBytes) / (12_800_000 - fixedBytes))));
    expect(bigger.videoBitrate).toBeGreaterThan(budget.videoBitrate * 1.1);
    expect(bigger).toMatchObject({ width: budget.width, height: budget.height, audioBitrate: budget.audioBitrate, targetBytes: budget.targetBytes });
    expect(bigger.level).toBeGreaterThanOrEqual(budget.level);
  });

  it('lets an output stand at 90% or more, over the cap, or when the budget aimed low on purpose', () => {
    expect(budgetAfterUndershoot({ ...request, actualBytes: MIN_CAP_SHARE * 16_000_000 })).toBeNull();
    expect(budgetAfterUndershoot({ ...request, actualBytes: 16_000_001 })).toBeNull();
    // A 2 s clip: the bits-per-pixel ceiling leaves most of the cap unused, by design.
    const short = planBudget({ durationSeconds: 2, maxSizeBytes: 16_000_000, targetFraction: 0.94, displayWidth: 640, displayHeight: 360, frameRate: 30, audioChannels: 2 });
    if (!short.fits) throw new Error('a short clip fits');
    expect(budgetAfterUndershoot({ budget: short.budget, maxSizeBytes: 16_000_000, actualBytes: 300_000 })).toBeNull();
  });

  it('never asks for more than the picture can use', () => {
    const bigger = budgetAfterUndershoot({ ...request, actualBytes: 1_000_000 });
    expect(bigger?.bitsPerPixel).toBeLessThanOrEqual(MAX_BITS_PER_PIXEL);
  });
});

describe('budgetBetween', () => {
  const budget = { targetBytes: 950_000, videoBitrate: 400_000, audioBitrate: 64_000, audioBytes: 100_000, width: 640, height: 360, frameRate: 25, frameRateCap: null, bitsPerPixel: 400_000 / (640 * 360 * 25), containerBytes: 10_000, level: 3 };
  const under = { budget, actualBytes: 820_000 };
  const over = { budget: { ...budget, videoBitrate: 480_000, level: 3.1 }, actualBytes: 1_020_000 };

  it('aims at the middle of 90-100% on the line through an attempt under 90% and one over the cap', () => {
    const between = budgetBetween({ under, over, maxSizeBytes: 1_000_000 });
    // 820,000 -> 1,020,000 bytes over 400 -> 480 kbit/s: 950,000 bytes at 452 kbit/s.
    expect(between).toMatchObject({ videoBitrate: 452_000, level: 3.1, width: 640, height: 360, targetBytes: 950_000 });
    expect(between?.bitsPerPixel).toBeCloseTo(452_000 / (640 * 360 * 25));
  });

  it('gives up when the two do not bracket the range', () => {
    expect(budgetBetween({ under: { ...under, actualBytes: 910_000 }, over, maxSizeBytes: 1_000_000 })).toBeNull();
    expect(budgetBetween({ under, over: { ...over, actualBytes: 990_000 }, maxSizeBytes: 1_000_000 })).toBeNull();
    expect(budgetBetween({ under, over: { ...over, budget }, maxSizeBytes: 1_000_000 })).toBeNull();
  });
});
