/** A run-length table as ISO-BMFF stores it: `counts[i]` consecutive samples share `values[i]`. */
export interface RunTable {
  counts: readonly number[];
  values: readonly number[];
}

/**
 * True when some sample is presented before a sample decoded ahead of it: the composition offsets
 * reorder frames, which is what B-frames do. Walks the runs of both tables together, so a table that
 * claims billions of samples costs no more than its entries.
 */
export function hasReorderedFrames(durations: RunTable, compositionOffsets: RunTable | null): boolean {
  if (!compositionOffsets) return false;
  let durationRun = 0;
  let durationLeft = durations.counts[0] ?? 0;
  let offsetRun = 0;
  let offsetLeft = compositionOffsets.counts[0] ?? 0;
  let previous: { delta: number; offset: number } | null = null;
  while (durationRun < durations.counts.length && offsetRun < compositionOffsets.counts.length) {
    if (durationLeft === 0) {
      durationLeft = durations.counts[++durationRun] ?? 0;
      continue;
    }
    if (offsetLeft === 0) {
      offsetLeft = compositionOffsets.counts[++offsetRun] ?? 0;
      continue;
    }
    const delta = durations.values[durationRun] ?? 0;
    const offset = compositionOffsets.values[offsetRun] ?? 0;
    // Inside a segment both are constant, so presentation time only moves forward; only its first
    // sample can land before the sample decoded just ahead of it.
    if (previous && previous.delta + offset < previous.offset) return true;
    const segment = Math.min(durationLeft, offsetLeft);
    durationLeft -= segment;
    offsetLeft -= segment;
    previous = { delta, offset };
  }
  return false;
}

export interface FrameTiming {
  sampleCount: number;
  /** Sum of sample durations, in the track's timescale. */
  totalDuration: number;
  variableFrameRate: boolean;
}

/**
 * Frame count, total duration and whether frame durations vary. The first and last samples are left
 * out of the variability test because muxers often stretch or shorten them. Durations within 10% of
 * the most common one count as the same rate (timescale rounding: 33 and 34 ms at 29.97 fps).
 */
export function frameTiming(durations: RunTable): FrameTiming {
  let sampleCount = 0;
  let totalDuration = 0;
  const countByDelta = new Map<number, number>();
  const lastRun = durations.counts.length - 1;
  durations.counts.forEach((count, run) => {
    const delta = durations.values[run] ?? 0;
    sampleCount += count;
    totalDuration += count * delta;
    const counted = count - (run === 0 ? 1 : 0) - (run === lastRun ? 1 : 0);
    if (counted > 0) countByDelta.set(delta, (countByDelta.get(delta) ?? 0) + counted);
  });
  let commonDelta = 0;
  let commonCount = -1;
  for (const [delta, count] of countByDelta) {
    if (count > commonCount) [commonDelta, commonCount] = [delta, count];
  }
  let outliers = 0;
  let counted = 0;
  for (const [delta, count] of countByDelta) {
    counted += count;
    if (Math.abs(delta - commonDelta) > commonDelta * 0.1) outliers += count;
  }
  // A few odd durations (a dropped frame, a splice) do not make a stream variable-rate.
  const variableFrameRate = counted > 0 && outliers / counted > 0.05;
  return { sampleCount, totalDuration, variableFrameRate };
}
