/** What the AAC encoder is told: bitrate, channels and sample rate of the output. */
export interface AacSettings {
  bitrate: number;
  channels: number;
  sampleRate: number;
}

/** WhatsApp clients expect 44.1 or 48 kHz: 44.1 kHz sources keep it, everything else goes to 48 kHz. */
export function outputSampleRate(sourceRate: number | null): number {
  if (sourceRate !== null && sourceRate <= 44_100) return 44_100;
  return 48_000;
}

/** Stereo at most: phones play two channels, and a downmix costs less than the bits of 5.1. */
export function outputChannels(sourceChannels: number | null): number {
  return sourceChannels === 1 ? 1 : 2;
}

/** ffmpeg output arguments for AAC-LC audio. */
export function aacArgs(settings: AacSettings): string[] {
  return [
    '-c:a', 'aac',
    '-profile:a', 'aac_low',
    '-b:a', kbps(settings.bitrate),
    '-ac', String(settings.channels),
    '-ar', String(settings.sampleRate),
  ];
}

export function kbps(bitsPerSecond: number): string {
  return `${Math.max(1, Math.round(bitsPerSecond / 1000))}k`;
}
