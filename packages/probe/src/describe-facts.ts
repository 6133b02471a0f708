import { formatBytes } from './compliance.js';
import type { MediaFacts } from './media-facts.js';

/** A short description of what the file is: `H.264 Main 1280x720 30fps, AAC LC, 4.2 MB`. */
export function describeFacts(facts: MediaFacts): string {
  const parts: string[] = [];
  const video = facts.video[0];
  if (video) {
    const codec = video.codec === 'h264' ? `H.264${video.profile ? ` ${video.profile.name}` : ''}` : video.codec.toUpperCase();
    const rate = video.frameRate ? ` ${Math.round(video.frameRate * 100) / 100}fps` : '';
    parts.push(`${codec} ${video.displayWidth}x${video.displayHeight}${rate}`);
  }
  for (const audio of facts.audio) {
    parts.push(audio.codec === 'aac' && audio.aacObjectType ? `AAC ${audio.aacObjectType}` : audio.codec.toUpperCase());
  }
  if (facts.container) parts.unshift(facts.container.toUpperCase());
  parts.push(formatBytes(facts.sizeBytes));
  return parts.join(', ');
}
