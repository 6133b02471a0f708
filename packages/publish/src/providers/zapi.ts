import { isRecord, refusal, stringField, type ProviderDefinition } from './provider.js';

type ZapiCredential = 'instance' | 'token' | 'clientToken';

/**
 * Z-API: `/send-video` for a chat (with `phone`) and `/send-video-status` for the sender's status, links only.
 * The instance token is part of the URL, so URLs of this provider are never printed.
 */
export const zapi: ProviderDefinition<ZapiCredential> = {
  name: 'zapi',
  title: 'Z-API',
  credentials: {
    instance: { env: 'ZAPI_INSTANCE', secret: false },
    token: { env: 'ZAPI_TOKEN', secret: true },
    clientToken: { env: 'ZAPI_CLIENT_TOKEN', secret: true },
  },
  mediaIds: false,
  statusVideos: true,
  mediaIdLifetimeDays: null,
  defaultBaseUrl: () => 'https://api.z-api.io',
  sendRequest(message, { credentials, baseUrl }) {
    if (message.media.kind !== 'link') throw new TypeError('zapi takes links only');
    const value: Record<string, string> = message.to === null ? {} : { phone: message.to };
    value.video = message.media.link;
    if (message.caption !== null) value.caption = message.caption;
    const path = message.to === null ? 'send-video-status' : 'send-video';
    return {
      method: 'POST',
      url: `${baseUrl}/instances/${encodeURIComponent(credentials.instance)}/token/${encodeURIComponent(credentials.token)}/${path}`,
      headers: { 'client-token': credentials.clientToken, 'content-type': 'application/json' },
      body: { kind: 'json', value },
    };
  },
  parseSendAnswer(answer) {
    const ok = answer.status >= 200 && answer.status < 300 && isRecord(answer.body);
    const messageId = ok ? (stringField(answer.body, 'messageId') ?? stringField(answer.body, 'zaapId')) : null;
    return messageId ? { ok: true, messageId, status: 'accepted' } : refusal(answer);
  },
};
