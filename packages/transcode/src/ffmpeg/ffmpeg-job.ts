/** One ffmpeg run as data: what goes before `-i`, the input, what goes after it, and the output. */
export interface FfmpegJob {
  inputArgs: string[];
  input: string;
  outputArgs: string[];
  output: string;
}

/** The full argument list of a job, as it would be passed to the ffmpeg binary (ffmpeg itself, not a shell). */
export function ffmpegArgv(job: FfmpegJob): string[] {
  return [...job.inputArgs, '-i', job.input, '-y', ...job.outputArgs, job.output];
}
