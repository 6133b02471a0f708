import { InvalidOptionError } from './errors.js';
import { refusedError, sendHttp } from './http/send-http.js';
import { checkLink } from './message.js';
import { parsePhoneNumber } from './phone.js';
import { getProvider } from './providers/index.js';
import type { ExtraInfo } from './providers/provider.js';
import { callSettings, connection, type ProviderCallOptions, type SendResult } from './send-video.js';
import { checkTemplate, checkTemplateParameter, type OutgoingTemplate, type TemplateInput } from './template.js';

/** One template message whose header is the video: recipient, template, language, body parameters, video. */
export interface SendTemplateOptions extends ProviderCallOptions, TemplateInput {
  /** Recipient in E.164 (`+` optional). */
  to: string;
  /** The header video: a link or a provider media id. */
  link?: string | undefined;
  mediaId?: string | undefined;
  /** Kaleyra's `extra_info` (ignored by the others). */
  extraInfo?: ExtraInfo | undefined;
}

/** Whether a provider can send template messages (Zixflow and Z-API cannot). */
export function sendsTemplates(provider: string): boolean {
  return getProvider(provider).templateRequest !== undefined;
}

/** Checks a template message and builds the value its provider's request carries. Pure; throws InvalidOptionError. */
export function prepareTemplate(options: Omit<SendTemplateOptions, keyof ProviderCallOptions | 'extraInfo'> & { provider: string }): OutgoingTemplate {
  const provider = getProvider(options.provider);
  if (!provider.templateRequest) {
    throw new InvalidOptionError('template', () => `${provider.name} sends plain video messages only, not templates`);
  }
  checkTemplate(options);
  const to = parsePhoneNumber(options.to, 'to');
  const bodyParameters = (options.bodyParameters ?? []).map((text, index) => checkTemplateParameter(text, `bodyParameters[${index}]`));
  if (options.link !== undefined && options.mediaId !== undefined) throw new InvalidOptionError('link', (name) => `give either ${name('link')} or ${name('mediaId')}, not both`);
  let headerVideo: OutgoingTemplate['headerVideo'];
  if (options.link !== undefined) headerVideo = { kind: 'link', link: checkLink(options.link, 'link') };
  else if (options.mediaId !== undefined) {
    if (!provider.mediaIds) throw new InvalidOptionError('mediaId', () => `${provider.name} takes links only, not media ids`);
    headerVideo = { kind: 'id', id: options.mediaId };
  } else throw new InvalidOptionError('link', (name) => `a video is required: give ${name('link')} or ${name('mediaId')}`);
  return { to, name: options.template, language: options.language, headerVideo, bodyParameters };
}

/**
 * Sends one template message with the video in its header (Meta, 360dialog, Gupshup, Kaleyra). Everything is
 * checked before the request; failures after it are ProviderError, as for sendVideo.
 */
export async function sendTemplate(options: SendTemplateOptions): Promise<SendResult> {
  const message = prepareTemplate(options);
  const provider = getProvider(options.provider);
  const { credentials, baseUrl, secrets } = connection(provider, options);
  if (!provider.templateRequest) throw new InvalidOptionError('template', () => `${provider.name} sends plain video messages only, not templates`);
  const request = provider.templateRequest(message, { credentials, baseUrl, extraInfo: options.extraInfo });
  const context = { provider: provider.name, title: provider.title, secrets };
  const answer = await sendHttp(request, { ...context, ...callSettings(options, 30_000) });
  const outcome = provider.parseSendAnswer(answer);
  if (!outcome.ok) throw refusedError(answer, outcome, context);
  return { provider: provider.name, messageId: outcome.messageId, status: outcome.status };
}
