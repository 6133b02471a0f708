import { extname } from 'node:path';
import type { OutputContainer } from './plan/plan-remediation.js';

/**
 * The extension of a fixed copy: `.3gp` for a `.3gp` input, since 3GP (`video/3gpp`) is a container WhatsApp
 * takes and the file stays what it was; `.mp4` for everything else, QuickTime included.
 */
export function outputExtensionFor(inputPath: string): '.mp4' | '.3gp' {
  return extname(inputPath).toLowerCase() === '.3gp' ? '.3gp' : '.mp4';
}

/** The container ffmpeg writes for an output path: 3GP for a `.3gp` name, MP4 for any other. */
export function outputContainerFor(outputPath: string): OutputContainer {
  return extname(outputPath).toLowerCase() === '.3gp' ? '3gp' : 'mp4';
}
