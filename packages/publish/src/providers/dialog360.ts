import { metaTemplateMessage } from '../template.js';
import { parseMetaMediaAnswer } from './meta.js';
import { joinUrl, metaVideoMessage, parseMetaMessagesAnswer, requireRecipient, type HttpRequest, type ProviderDefinition, type RequestContext } from './provider.js';

/** 360dialog's Cloud API proxy: the Meta message object, authenticated by a `D360-API-KEY` header. */
export const dialog360: ProviderDefinition<'apiKey'> = {
  name: '360dialog',
  title: '360dialog',
  credentials: { apiKey: { env: 'D360_API_KEY', secret: true } },
  mediaIds: true,
  statusVideos: false,
  // 360dialog stores uploads in Meta's media store, where ids last 30 days.
  mediaIdLifetimeDays: 30,
  defaultBaseUrl: () => 'https://waba-v2.360dialog.io',
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
      url: joinUrl(baseUrl, 'media'),
      headers: { 'd360-api-key': credentials.apiKey },
      body: { kind: 'multipart', fields: [['messaging_product', 'whatsapp']], file: { field: 'file', ...file } },
    };
  },
  parseMediaAnswer: parseMetaMediaAnswer,
};

function messagesRequest(value: Record<string, unknown>, { credentials, baseUrl }: RequestContext<'apiKey'>): HttpRequest {
  return {
    method: 'POST',
    url: joinUrl(baseUrl, 'messages'),
    headers: { 'd360-api-key': credentials.apiKey, 'content-type': 'application/json' },
    body: { kind: 'json', value },
  };
}
