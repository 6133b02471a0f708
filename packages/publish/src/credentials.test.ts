import { describe, expect, it } from 'vitest';
import { resolveCredentials } from './credentials.js';
import { InvalidOptionError } from './errors.js';
import { getProvider } from './providers/index.js';
import { checkSendVideo } from './send-video.js';

const KALEYRA_ENV = { KALEYRA_SID: 'HXAP1600000097IN', KALEYRA_API_KEY: 'key', KALEYRA_SENDER: '+918630005920', KALEYRA_REGION: 'in' };

describe('resolveCredentials', () => {
  it('takes passed values first, then the environment, then defaults; blank counts as unset', () => {
    const resolved = resolveCredentials(getProvider('meta'), { token: ' t ' }, { WHATSAPP_TOKEN: 'env', WHATSAPP_PHONE_NUMBER_ID: '99', WHATSAPP_API_VERSION: ' ' }, { hasBaseUrl: false });
    expect(resolved).toEqual({ values: { token: 't', phoneNumberId: '99', apiVersion: 'v23.0' }, secrets: ['t'] });
  });

  it('checks the Kaleyra business number as E.164 and keeps its digits', () => {
    expect(resolveCredentials(getProvider('kaleyra'), {}, KALEYRA_ENV, { hasBaseUrl: false }).values.sender).toBe('918630005920');
    const error = (() => {
      try {
        resolveCredentials(getProvider('kaleyra'), {}, { ...KALEYRA_ENV, KALEYRA_SENDER: '0863-0005920' }, { hasBaseUrl: false });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toMatchObject({ option: 'KALEYRA_SENDER', message: expect.stringContaining('KALEYRA_SENDER must be a phone number in E.164 form') as unknown });
  });
});

describe('checkSendVideo', () => {
  it('refuses a bad Kaleyra business number before there is a video to send', () => {
    const options = { provider: 'kaleyra' as const, to: '+4915112345678', env: { ...KALEYRA_ENV, KALEYRA_SENDER: '12345' } };
    expect(() => {
      checkSendVideo(options, 'id');
    }).toThrow(/KALEYRA_SENDER must be a phone number in E\.164 form/);
    expect(() => {
      checkSendVideo({ ...options, env: KALEYRA_ENV }, 'id');
    }).not.toThrow();
  });
});
