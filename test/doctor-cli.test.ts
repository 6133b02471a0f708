import { expect, it } from 'vitest';
import { ffmpegPath, ffprobePath, runCli } from './support/tools.js';

interface DoctorDocument {
  tools: { tool: string; path: string; source: string; build: { version: string; libavformat: string | null } | null; ageYears: number | null }[];
}

it('wavid doctor names the ffmpeg and ffprobe in use, where they come from, their version and age', async () => {
  const run = await runCli(['doctor', '--format', 'json'], { env: { FFMPEG_PATH: ffmpegPath, FFPROBE_PATH: ffprobePath } });
  expect(run.code).toBe(0);
  const { tools } = JSON.parse(run.stdout) as DoctorDocument;
  expect(tools.map((tool) => [tool.tool, tool.path, tool.source])).toEqual([
    ['ffmpeg', ffmpegPath, 'FFMPEG_PATH'],
    ['ffprobe', ffprobePath, 'FFPROBE_PATH'],
  ]);
  for (const tool of tools) {
    expect(tool.build?.libavformat).toMatch(/^\d+\.\d+\.\d+$/);
    expect(tool.ageYears).toBeGreaterThanOrEqual(0);
  }
  const text = await runCli(['doctor'], { env: { FFMPEG_PATH: '/nonexistent/ffmpeg' } });
  expect(text.code).toBe(1);
  expect(text.stdout).toContain('/nonexistent/ffmpeg (from FFMPEG_PATH)');
});
