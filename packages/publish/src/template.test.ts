import { describe, expect, it } from 'vitest';
import { getProvider } from './providers/index.js';
import { prepareTemplate, sendsTemplates } from './send-template.js';
import { checkTemplateParameter, type OutgoingTemplate } from './template.js';

const message: OutgoingTemplate = { to: '4915112345678', name: 'spring_sale', language: 'en_US', headerVideo: { kind: 'id', id: '42' }, bodyParameters: ['Ana', '20%'] };
const metaObject = (to: string) => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
  type: 'template',
  template: {
    name: 'spring_sale',
    language: { policy: 'deterministic', code: 'en_US' },
    components: [
      { type: 'header', parameters: [{ type: 'video', video: { id: '42' } }] },
      { type: 'body', parameters: [{ type: 'text', text: 'Ana' }, { type: 'text', text: '20%' }] },
    ],
  },
});

describe('template request builders', () => {
  it('meta: the template object under /{version}/{phone-number-id}/messages', () => {
    const request = getProvider('meta').templateRequest?.(message, { baseUrl: 'https://graph.facebook.com', credentials: { token: 't', phoneNumberId: '99', apiVersion: 'v23.0' } });
    expect(request).toEqual({
      method: 'POST',
      url: 'https://graph.facebook.com/v23.0/99/messages',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: { kind: 'json', value: metaObject('4915112345678') },
    });
  });

  it('360dialog and gupshup: the same object at their messages endpoints', () => {
    const d360 = getProvider('360dialog').templateRequest?.(message, { baseUrl: 'https://waba-v2.360dialog.io', credentials: { apiKey: 'k' } });
    expect(d360?.url).toBe('https://waba-v2.360dialog.io/messages');
    expect(d360?.headers).toEqual({ 'd360-api-key': 'k', 'content-type': 'application/json' });
    expect(d360?.body).toEqual({ kind: 'json', value: metaObject('4915112345678') });
    const gupshup = getProvider('gupshup').templateRequest?.(message, { baseUrl: 'https://partner.gupshup.io', credentials: { appId: 'A', appToken: 'T' } });
    expect(gupshup?.url).toBe('https://partner.gupshup.io/partner/app/A/v3/message');
    expect(gupshup?.body).toEqual({ kind: 'json', value: metaObject('4915112345678') });
  });

  it('kaleyra: the object inside messaging_object, the number with +', () => {
    const request = getProvider('kaleyra').templateRequest?.(message, {
      baseUrl: 'https://api.in.kaleyra.io',
      credentials: { sid: 'S', apiKey: 'K', sender: '918630005920', region: 'in' },
      extraInfo: { ref: 'spring' },
    });
    expect(request?.url).toBe('https://api.in.kaleyra.io/v2/S/whatsapp/+918630005920/messages');
    expect(request?.body).toEqual({ kind: 'json', value: { messaging_object: metaObject('+4915112345678'), extra_info: { ref: 'spring' } } });
  });

  it('a template without body parameters has only the header; a link header carries the link', () => {
    const request = getProvider('meta').templateRequest?.(
      { ...message, bodyParameters: [], headerVideo: { kind: 'link', link: 'https://cdn.example.com/a.mp4' } },
      { baseUrl: 'https://graph.facebook.com', credentials: { token: 't', phoneNumberId: '99', apiVersion: 'v23.0' } },
    );
    const value = (request?.body as { value: { template: { components: unknown[] } } }).value;
    expect(value.template.components).toEqual([{ type: 'header', parameters: [{ type: 'video', video: { link: 'https://cdn.example.com/a.mp4' } }] }]);
  });

  it('zixflow and zapi send no templates', () => {
    expect(['meta', '360dialog', 'gupshup', 'kaleyra', 'zixflow', 'zapi'].map(sendsTemplates)).toEqual([true, true, true, true, false, false]);
  });
});

describe('prepareTemplate', () => {
  const base = { provider: 'meta', to: '+4915112345678', template: 'spring_sale', language: 'en_US', mediaId: '42' };
  it('checks name, language, number and parameters before any request', () => {
    expect(prepareTemplate({ ...base, bodyParameters: ['Ana'] })).toEqual({ to: '4915112345678', name: 'spring_sale', language: 'en_US', headerVideo: { kind: 'id', id: '42' }, bodyParameters: ['Ana'] });
    expect(() => prepareTemplate({ ...base, template: 'Spring Sale' })).toThrow(/template must be/);
    expect(() => prepareTemplate({ ...base, language: 'english' })).toThrow(/language must be/);
    expect(() => prepareTemplate({ ...base, to: '0151' })).toThrow(/E\.164/);
    expect(() => prepareTemplate({ ...base, provider: 'zapi' })).toThrow(/plain video messages only/);
    expect(() => prepareTemplate({ ...base, mediaId: undefined })).toThrow(/video is required/);
  });

  it.each([
    ['', /empty/],
    ['a\nb', /new line/],
    ['a     b', /four spaces/],
    ['x'.repeat(1025), /at most 1024/],
  ])('refuses the parameter %j', (text, message) => {
    expect(() => checkTemplateParameter(text, 'name')).toThrow(message);
  });
});
