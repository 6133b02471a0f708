/** gateVideo, the compliance gate in front of both the store and the providers' media endpoints, on real samples. */
import { gateVideo, InvalidOptionError, PublishError } from '@wavid/publish';
import { PROFILES } from '@wavid/probe';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplesDir } from './support/tools.js';

describe('gateVideo', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'wavid-gate-'));
  });
  afterAll(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('passes a compliant MP4 with its facts, verdict and content type', async () => {
    const gated = await gateVideo({ path: join(samplesDir, 'compliant.mp4') });
    expect(gated.facts).toMatchObject({ container: 'mp4', sizeBytes: 32522 });
    expect(gated.verdict).toMatchObject({ ok: true, violations: [] });
    expect(gated.contentType).toBe('video/mp4');
  });

  it('types a 3GP file by its container, whatever its name', async () => {
    const misnamed = join(scratch, 'clip.mp4');
    copyFileSync(join(samplesDir, 'compliant-baseline.3gp'), misnamed);
    expect((await gateVideo({ path: misnamed })).contentType).toBe('video/3gpp');
  });

  it('refuses a file that does not comply with PublishError not-compliant, and lets it through with force', async () => {
    const path = join(samplesDir, 'violation-b-frames.mp4');
    const error = await gateVideo({ path }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PublishError);
    expect(error).toMatchObject({ code: 'not-compliant', path, violations: [expect.objectContaining({ code: 'b-frames' })] });
    const forced = await gateVideo({ path, force: true });
    expect(forced.verdict.ok).toBe(false);
    expect(forced.verdict.violations.map((violation) => violation.code)).toEqual(['b-frames']);
  });

  it('checks against the profile it is given', async () => {
    const tiny = { ...PROFILES.whatsapp, maxSizeBytes: 1000 };
    await expect(gateVideo({ path: join(samplesDir, 'compliant.mp4'), profile: tiny })).rejects.toMatchObject({
      code: 'not-compliant',
      violations: [expect.objectContaining({ code: 'size' })],
    });
  });

  it('refuses a missing file or a folder as an InvalidOptionError naming path', async () => {
    for (const path of [join(scratch, 'nope.mp4'), scratch]) {
      const error = await gateVideo({ path }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect(error).toMatchObject({ code: 'invalid-option', option: 'path' });
    }
  });
});
