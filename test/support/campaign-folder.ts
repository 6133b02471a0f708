import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { samplesDir } from './tools.js';

/**
 * The campaign folder of the folder-run tests, local or queued: one video for each kind of work (a copy, two
 * remuxes, a transcode, in a subfolder with a space) and one broken file. Returns the folder's path.
 */
export function makeCampaign(root: string): string {
  const folder = join(root, 'campaign');
  mkdirSync(join(folder, 'week 2'), { recursive: true });
  copyFileSync(join(samplesDir, 'compliant.mp4'), join(folder, 'ready.mp4'));
  copyFileSync(join(samplesDir, 'violation-faststart.mp4'), join(folder, 'moov-at-end.mp4'));
  copyFileSync(join(samplesDir, 'violation-container.mkv'), join(folder, 'week 2', 'teaser.mkv'));
  copyFileSync(join(samplesDir, 'violation-b-frames.mp4'), join(folder, 'week 2', 'b-frames.mp4'));
  copyFileSync(join(samplesDir, 'bad-empty.mp4'), join(folder, 'empty.mp4'));
  return folder;
}
