import ffprobeInstaller from '@ffprobe-installer/ffprobe';

/** The ffprobe binary: `FFPROBE_PATH` when set, else the one the installer package ships for this platform. */
export function defaultFfprobePath(): string {
  return process.env.FFPROBE_PATH ?? ffprobeInstaller.path;
}
