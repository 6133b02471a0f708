import { describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../message.js';
import { getProvider } from './index.js';
import { refusal } from './provider.js';

const byLink: OutgoingMessage = { to: '4915112345678', media: { kind: 'link', link: 'https://cdn.example.com/a.mp4' }, caption: null };
const byId: OutgoingMessage = { to: '4915112345678', media: { kind: 'id', id: '42' }, caption: 'Hi' };
const headers = new Headers();

describe('request builders', () => {
  it('meta: the message object under /{version}/{phone-number-id}/messages', () => {
    const request = getProvider('meta').sendRequest(byId, { baseUrl: 'https://graph.facebook.com', credentials: { token: 't', phoneNumberId: '99', apiVersion: 'v23.0' } });
    expect(request).toEqual({
      method: 'POST',
      url: 'https://graph.facebook.com/v23.0/99/messages',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: { kind: 'json', value: { messaging_product: 'whatsapp', recipient_type: 'individual', to: '4915112345678', type: 'video', video: { id: '42', caption: 'Hi' } } },
    });
  });

  it('kaleyra: the default host follows the region', () => {
    const kaleyra = getProvider('kaleyra');
    expect(['in', 'sg', 'eu', 'na'].map((region) => kaleyra.defaultBaseUrl({ region }))).toEqual([
      'https://api.in.kaleyra.io',
      'https://api.kaleyra.io',
      'https://api.eu.kaleyra.io',
      'https://api.na.kaleyra.ai',
    ]);
  });

  it('zapi: a status video has no phone and its own path', () => {
    const request = getProvider('zapi').sendRequest({ ...byLink, to: null }, { baseUrl: 'https://api.z-api.io', credentials: { instance: 'I', token: 'T', clientToken: 'C' } });
    expect(request.url).toBe('https://api.z-api.io/instances/I/token/T/send-video-status');
    expect(request.body).toEqual({ kind: 'json', value: { video: 'https://cdn.example.com/a.mp4' } });
  });

  it('gupshup: media upload fields are file_type then file', () => {
    const request = getProvider('gupshup').mediaRequest?.({ path: '/v.mp4', filename: 'v.mp4', contentType: 'video/mp4' }, { baseUrl: 'https://partner.gupshup.io', credentials: { appId: 'A', appToken: 'T' } });
    expect(request?.url).toBe('https://partner.gupshup.io/partner/app/A/media');
    expect(request?.body).toEqual({ kind: 'multipart', fields: [['file_type', 'video/mp4']], file: { field: 'file', path: '/v.mp4', filename: 'v.mp4', contentType: 'video/mp4' } });
  });
});

describe('answer parsers', () => {
  it('read each provider’s documented success', () => {
    expect(getProvider('360dialog').parseSendAnswer({ status: 200, headers, body: { messages: [{ id: 'w', message_status: 'accepted' }] } })).toEqual({ ok: true, messageId: 'w', status: 'accepted' });
    expect(getProvider('kaleyra').parseSendAnswer({ status: 202, headers, body: { code: 'WA202', data: { message_id: 'k' } } })).toEqual({ ok: true, messageId: 'k', status: 'accepted' });
    expect(getProvider('zixflow').parseSendAnswer({ status: 200, headers, body: { status: true, message: 'ok' } })).toEqual({ ok: true, messageId: null, status: 'accepted' });
    expect(getProvider('gupshup').parseMediaAnswer?.({ status: 200, headers, body: { mediaId: 'm', status: 'success' } })).toEqual({ ok: true, mediaId: 'm' });
  });

  it.each([
    [{ error: { message: 'Invalid parameter', code: 100, error_data: { details: 'bad to' } } }, '100', 'Invalid parameter: bad to'],
    [{ error: 'Invalid request' }, null, 'Invalid request'],
    [{ code: 'WA400', message: 'Refer to correct payload format', error: { payload: 'x' } }, 'WA400', 'Refer to correct payload format'],
    [{ status: 'error', message: 'Invalid App Details' }, 'error', 'Invalid App Details'],
    [{ status: false, message: 'Unauthorised' }, null, 'Unauthorised'],
    ['<html>Bad Gateway</html>', null, '<html>Bad Gateway</html>'],
  ])('read refusal %o', (body, providerCode, message) => {
    expect(refusal({ status: 400, headers, body })).toEqual({ ok: false, providerCode, message });
  });
});
