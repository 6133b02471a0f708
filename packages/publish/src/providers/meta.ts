import { metaTemplateMessage } from '../template.js';
import { isRecord, joinUrl, metaVideoMessage, parseMetaMessagesAnswer, refusal, requireRecipient, stringField, type HttpRequest, type ProviderDefinition, type RequestContext } from './provider.js';

type MetaCredential = 'token' | 'phoneNumberId' | 'apiVersion';

/** Meta's WhatsApp Cloud API: `/{version}/{phone-number-id}/messages` and `/media`, bearer token. */
export const meta: ProviderDefinition<MetaCredential> = {
  name: 'meta',
  title: 'Meta Cloud API',
  credentials: {
    token: { env: 'WHATSAPP_TOKEN', secret: true },
    phoneNumberId: { env: 'WHATSAPP_PHONE_NUMBER_ID', secret: false },
    apiVersion: { env: 'WHATSAPP_API_VERSION', secret: false, default: 'v23.0' },
  },
  mediaIds: true,
  statusVideos: false,
  mediaIdLifetimeDays: 30,
  defaultBaseUrl: () => 'https://graph.facebook.com',
  sendRequest(message, context) {
    return messagesRequest(metaVideoMessage(message, requireRecipient(message)), context);
  },
  templateRequest(message, context) {
    return messagesRequest(metaTemplateMessage(message, message.to), context);
  },
  parseSendAnswer: parseMetaMessagesAnswer,
  mediaRequest(file, { credentials, baseUrl }) {
    return {
      method: 'POST',
      url: joinUrl(baseUrl, credentials.apiVersion, credentials.phoneNumberId, 'media'),
      headers: { authorization: `Bearer ${credentials.token}` },
      body: { kind: 'multipart', fields: [['messaging_product', 'whatsapp']], file: { field: 'file', ...file } },
    };
  },
  parseMediaAnswer: parseMetaMediaAnswer,
};

function messagesRequest(value: Record<string, unknown>, { credentials, baseUrl }: RequestContext<MetaCredential>): HttpRequest {
  return {
    method: 'POST',
    url: joinUrl(baseUrl, credentials.apiVersion, credentials.phoneNumberId, 'messages'),
    headers: { authorization: `Bearer ${credentials.token}`, 'content-type': 'application/json' },
    body: { kind: 'json', value },
  };
}

/** `{id}`: Meta's media answer, also 360dialog's. */
export function parseMetaMediaAnswer(answer: Parameters<typeof refusal>[0]) {
  const mediaId = answer.status >= 200 && answer.status < 300 && isRecord(answer.body) ? stringField(answer.body, 'id') : null;
  return mediaId ? ({ ok: true, mediaId } as const) : refusal(answer);
}
