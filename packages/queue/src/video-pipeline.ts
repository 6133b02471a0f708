import { deliver, prepare } from '@wavid/pipeline';

/**
 * The library calls a worker runs: fix one video, publish one file. The library's own by default; passed in
 * by a benchmark that measures the queue with a no-op pipeline.
 */
export interface VideoPipeline {
  prepare: typeof prepare;
  deliver: typeof deliver;
}

export const LIBRARY_PIPELINE: VideoPipeline = { prepare, deliver };
