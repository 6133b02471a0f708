import type { AudioTrackFacts, MediaFacts, VideoTrackFacts } from '@wavid/probe';

/** A compliant 720p MP4 as the probe would describe it; tests change the parts they are about. */
export function compliantFacts(overrides: Partial<MediaFacts> = {}, video: Partial<VideoTrackFacts> = {}, audio: Partial<AudioTrackFacts>[] = [{}]): MediaFacts {
  return {
    path: 'clip.mp4',
    sizeBytes: 5_000_000,
    detected: { ext: 'mp4', mime: 'video/mp4' },
    container: 'mp4',
    brand: { major: 'isom', minorVersion: 512, compatible: ['isom', 'avc1'] },
    topLevelBoxes: [],
    moovBeforeMdat: true,
    fragmented: false,
    durationSeconds: 20,
    video: [
      {
        trackId: 1,
        codec: 'h264',
        codecTag: 'avc1',
        profile: { name: 'Main', idc: 77, constraintFlags: 0 },
        level: 3.1,
        codedWidth: 1280,
        codedHeight: 720,
        displayWidth: 1280,
        displayHeight: 720,
        rotation: 0,
        frameRate: 30,
        variableFrameRate: false,
        bitDepth: 8,
        chromaFormat: '4:2:0',
        bFrames: false,
        hdr: false,
        sampleCount: 600,
        durationSeconds: 20,
        ...video,
      },
    ],
    audio: audio.map((track, index) => ({
      trackId: 2 + index,
      codec: 'aac',
      codecTag: 'mp4a',
      aacObjectType: 'LC',
      channels: 2,
      sampleRate: 48_000,
      durationSeconds: 20,
      ...track,
    })),
    problem: null,
    source: 'isobmff',
    bytesRead: 4096,
    ...overrides,
  };
}
