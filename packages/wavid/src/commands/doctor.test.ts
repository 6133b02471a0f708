import { expect, it } from 'vitest';
import { parseFfmpegVersion } from './doctor.js';

it('reads version, source year and libavformat from -version output of static and distribution builds', () => {
  const bundled = [
    'ffmpeg version N-47683-g0e8eb07980-static https://johnvansickle.com/ffmpeg/  Copyright (c) 2000-2018 the FFmpeg developers',
    '  built with gcc 6.3.0 (Debian 6.3.0-18+deb9u1) 20170516',
    '  libavformat    58. 24.100 / 58. 24.100',
  ].join('\n');
  expect(parseFfmpegVersion(bundled)).toEqual({ version: 'N-47683-g0e8eb07980-static', year: 2018, libavformat: '58.24.100' });
  const debian = 'ffprobe version 5.1.9-0+deb12u1 Copyright (c) 2007-2026 the FFmpeg developers\nbuilt with gcc 12 (Debian 12.2.0-14+deb12u1)\nlibavformat    59. 27.100 / 59. 27.100\n';
  expect(parseFfmpegVersion(debian)).toEqual({ version: '5.1.9-0+deb12u1', year: 2026, libavformat: '59.27.100' });
  expect(parseFfmpegVersion('not ffmpeg')).toBeNull();
});
