import ffmpegInstaller from '@ffmpeg-installer/ffmpeg';

/** The ffmpeg binary: `FFMPEG_PATH` when set, else the one the installer package ships for this platform. */
export function defaultFfmpegPath(): string {
  return process.env.FFMPEG_PATH ?? ffmpegInstaller.path;
}
