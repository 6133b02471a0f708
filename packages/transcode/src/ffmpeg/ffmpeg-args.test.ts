import { describe, expect, it } from 'vitest';
import { ffmpegArgv } from './ffmpeg-job.js';
import { remuxArgs } from './remux-args.js';
import { thumbnailJob } from './thumbnail-args.js';
import { transcodeArgs, videoFilter, type TranscodeArgsOptions } from './transcode-args.js';

const tail = ['-map_chapters', '-1', '-max_muxing_queue_size', '1024', '-movflags', '+faststart', '-f', 'mp4'];

describe('remuxArgs', () => {
  it('copies video and AAC audio into a faststart MP4', () => {
    const job = remuxArgs({ input: { path: '/in/in.mkv', demuxer: 'matroska' }, output: '/out/out.mp4', audio: { kind: 'copy', index: 0, channels: 2, sampleRate: 48_000 }, audioBitrate: 128_000 });
    expect(ffmpegArgv(job)).toEqual([
      '-hide_banner', '-nostdin', '-protocol_whitelist', 'file', '-f', 'matroska', '-i', 'file:/in/in.mkv', '-y',
      '-map', '0:V:0', '-c:v', 'copy',
      '-map', '0:a:0', '-c:a', 'copy',
      ...tail, 'file:/out/out.mp4',
    ]);
  });

  it('re-encodes non-AAC audio to AAC-LC stereo at 44.1 or 48 kHz', () => {
    const job = remuxArgs({ input: { path: '/in/in.mp4', demuxer: 'mov' }, output: '/out/out.mp4', audio: { kind: 'encode', index: 0, channels: 6, sampleRate: 96_000 }, audioBitrate: 128_000 });
    expect(job.outputArgs).toEqual([
      '-map', '0:V:0', '-c:v', 'copy',
      '-map', '0:a:0', '-c:a', 'aac', '-profile:a', 'aac_low', '-b:a', '128k', '-ac', '2', '-ar', '48000',
      ...tail,
    ]);
  });

  it('writes no audio when there is none', () => {
    const job = remuxArgs({ input: { path: '/in/in.mp4', demuxer: 'mov' }, output: '/out/out.mp4', audio: { kind: 'none' }, audioBitrate: 0 });
    expect(job.outputArgs).toEqual(['-map', '0:V:0', '-c:v', 'copy', '-an', ...tail]);
  });
});

describe('transcodeArgs', () => {
  const options: TranscodeArgsOptions = {
    input: { path: '/in/in.mov', demuxer: 'mov' },
    output: '/out/out.mp4',
    width: 1280,
    height: 720,
    videoBitrate: 1_800_000,
    level: 3.1,
    profile: 'main',
    preset: 'medium',
    threads: 0,
    audio: { kind: 'encode', index: 1, channels: 1, sampleRate: 44_100 },
    audioBitrate: 64_000,
    hdr: false,
    frameRateCap: null,
    frameRate: 29.97,
  };

  it('encodes H.264 Main without B-frames to the budget, VFR timing kept, AAC-LC, moov first', () => {
    expect(ffmpegArgv(transcodeArgs(options))).toEqual([
      '-hide_banner', '-nostdin', '-protocol_whitelist', 'file', '-f', 'mov', '-i', 'file:/in/in.mov', '-y',
      '-map', '0:V:0',
      '-vf', 'scale=1280:720,setsar=1,format=yuv420p',
      '-c:v', 'libx264', '-preset', 'medium', '-profile:v', 'main', '-level:v', '3.1', '-bf', '0',
      '-b:v', '1800k', '-maxrate', '3600k', '-bufsize', '3600k', '-threads', '0',
      '-pix_fmt', 'yuv420p', '-vsync', 'vfr', '-enc_time_base:v', '1:90000', '-video_track_timescale', '90000',
      '-x264-params', 'fps=29970/1000:ratetol=0.1:qcomp=0.4',
      '-map', '0:a:1', '-c:a', 'aac', '-profile:a', 'aac_low', '-b:a', '64k', '-ac', '1', '-ar', '44100',
      ...tail, 'file:/out/out.mp4',
    ]);
  });

  it('encodes Baseline when asked, and no audio when there is none', () => {
    const args = transcodeArgs({ ...options, profile: 'baseline', audio: { kind: 'none' } }).outputArgs;
    expect(args.slice(args.indexOf('-profile:v'), args.indexOf('-profile:v') + 2)).toEqual(['-profile:v', 'baseline']);
    expect(args).toContain('-an');
    expect(args).not.toContain('-c:a');
  });

  it('tone-maps HDR to SDR BT.709 and tags the output so', () => {
    const args = transcodeArgs({ ...options, hdr: true }).outputArgs;
    expect(args[args.indexOf('-vf') + 1]).toBe(
      'zscale=t=linear:npl=100,format=gbrpf32le,zscale=p=bt709,tonemap=tonemap=hable:desat=0,zscale=t=bt709:m=bt709:r=tv,scale=1280:720,setsar=1,format=yuv420p',
    );
    const tags = args.indexOf('-color_primaries');
    expect(args.slice(tags, tags + 6)).toEqual(['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709']);
  });

  it('thins a fast source to the frame rate cap before the other filters, keeping VFR timing otherwise', () => {
    const args = transcodeArgs({ ...options, frameRateCap: 60 }).outputArgs;
    expect(args[args.indexOf('-vf') + 1]).toBe('fps=60,scale=1280:720,setsar=1,format=yuv420p');
    expect(args.slice(args.indexOf('-vsync'), args.indexOf('-vsync') + 2)).toEqual(['-vsync', 'vfr']);
    expect(videoFilter({ width: 2, height: 2, hdr: true, frameRateCap: 60 })).toMatch(/^fps=60,zscale=/);
    const uncapped = transcodeArgs(options).outputArgs;
    expect(uncapped[uncapped.indexOf('-vf') + 1]).not.toMatch(/fps=/);
  });

  it('never lets a filter string hold a space (the runner passes arguments one by one)', () => {
    expect(videoFilter({ width: 2, height: 2, hdr: true, frameRateCap: 60 })).not.toMatch(/\s/);
  });

  it('analyses the same frames in pass 1 without sound or output, and encodes with that analysis in pass 2', () => {
    const oneOnly = ffmpegArgv(transcodeArgs(options));
    const first = ffmpegArgv(transcodeArgs({ ...options, pass: { pass: 1, logPrefix: '/tmp/pass/x264' } }));
    const second = ffmpegArgv(transcodeArgs({ ...options, pass: { pass: 2, logPrefix: '/tmp/pass/x264' } }));
    const videoPart = (argv: string[]) => argv.slice(argv.indexOf('-map'), argv.indexOf('-x264-params'));
    // The same picture, filters and bitrate in both passes, as in a one-pass encode.
    expect(videoPart(first)).toEqual(videoPart(oneOnly));
    expect(videoPart(second)).toEqual(videoPart(oneOnly));
    // A looser rate tolerance in both passes: the one-pass setting makes a second pass overshoot.
    expect(first[first.indexOf('-x264-params') + 1]).toBe('fps=29970/1000:ratetol=0.5:qcomp=0.4');
    expect(second[second.indexOf('-x264-params') + 1]).toBe('fps=29970/1000:ratetol=0.5:qcomp=0.4');
    expect(first.slice(first.indexOf('-pass'))).toEqual(['-pass', '1', '-passlogfile', '/tmp/pass/x264', '-an', '-f', 'null', '-']);
    expect(first).not.toContain('-c:a');
    expect(second.slice(second.indexOf('-pass'), second.indexOf('-pass') + 4)).toEqual(['-pass', '2', '-passlogfile', '/tmp/pass/x264']);
    expect(second.slice(second.indexOf('-map', second.indexOf('-pass')))).toEqual([
      '-map', '0:a:1', '-c:a', 'aac', '-profile:a', 'aac_low', '-b:a', '64k', '-ac', '1', '-ar', '44100', ...tail, 'file:/out/out.mp4',
    ]);
  });
});

describe('thumbnailJob', () => {
  it('decodes one frame of a file opened only as the container the probe found', () => {
    expect(ffmpegArgv(thumbnailJob({ input: { path: '/in/http:127.0.0.1:8080?x.mp4', demuxer: 'mov' }, output: '/out/.t.jpg' }))).toEqual([
      '-hide_banner', '-nostdin', '-protocol_whitelist', 'file', '-f', 'mov', '-i', 'file:/in/http:127.0.0.1:8080?x.mp4', '-y',
      '-an', '-frames:v', '1', '-vf', 'scale=320:-2', '-q:v', '4', '-f', 'image2', '-update', '1', '-c:v', 'mjpeg',
      'file:/out/.t.jpg',
    ]);
  });
});

describe('every job', () => {
  const audio = { kind: 'none' } as const;
  it('refuses a relative path, which ffmpeg could read as a URL', () => {
    expect(() => remuxArgs({ input: { path: 'http:127.0.0.1:8080?x.mp4', demuxer: 'mov' }, output: '/out/x.mp4', audio, audioBitrate: 0 })).toThrow(TypeError);
    expect(() => thumbnailJob({ input: { path: '/in/x.mp4', demuxer: 'mov' }, output: 'x.jpg' })).toThrow(TypeError);
  });
  it('refuses a demuxer name that is not a plain word', () => {
    expect(() => thumbnailJob({ input: { path: '/in/x.mp4', demuxer: 'mov -i http://x' }, output: '/out/x.jpg' })).toThrow(TypeError);
  });
});
