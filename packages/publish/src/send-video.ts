import { resolveCredentials } from './credentials.js';
import { InvalidOptionError } from './errors.js';
import { refusedError, sendHttp, type RetryEvent } from './http/send-http.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './http/retry-policy.js';
import { checkBaseUrl, prepareMessage, type MessageInput } from './message.js';
import { getProvider } from './providers/index.js';
import type { ExtraInfo, ProviderDefinition } from './providers/provider.js';
import type { ProviderName } from './providers/provider-name.js';

/** Options shared by every call that talks to a provider. */
export interface ProviderCallOptions {
  provider: ProviderName;
  /** Credentials by name (`token`, `apiKey`...); each falls back to its environment variable. */
  credentials?: Readonly<Record<string, string | undefined>> | undefined;
  /** Where credentials are looked up. Default: `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Replaces the provider's scheme and host (regional domains, proxies, tests). */
  baseUrl?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Longest wait for one answer. Default 30 s for a message, 5 min for a media upload. */
  timeoutMs?: number | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

/** One message: recipient (E.164, `+` optional; none for a status video), link or media id, caption. */
export interface SendVideoOptions extends ProviderCallOptions, MessageInput {
  /** Kaleyra's `extra_info` (ignored by the others). */
  extraInfo?: ExtraInfo | undefined;
}

export interface SendResult {
  provider: ProviderName;
  /** The provider's id for the message; null when it gives none (Zixflow). */
  messageId: string | null;
  /** `accepted` unless the provider says more; delivery is reported later, by webhook. */
  status: string;
}

/** Sends one video message. Everything is checked before the request; see ProviderError for what can go wrong after. */
export async function sendVideo(options: SendVideoOptions): Promise<SendResult> {
  const provider = getProvider(options.provider);
  const message = prepareMessage(options, { mediaIds: provider.mediaIds, statusVideos: provider.statusVideos, provider: provider.name });
  checkExtraInfo(options.extraInfo);
  const { credentials, baseUrl, secrets } = connection(provider, options);
  const request = provider.sendRequest(message, { credentials, baseUrl, extraInfo: options.extraInfo });
  const context = { provider: provider.name, title: provider.title, secrets };
  const answer = await sendHttp(request, { ...context, ...callSettings(options, 30_000) });
  const outcome = provider.parseSendAnswer(answer);
  if (!outcome.ok) throw refusedError(answer, outcome, context);
  return { provider: provider.name, messageId: outcome.messageId, status: outcome.status };
}

/**
 * Runs every check `sendVideo` makes before its request, for a video that is not there yet (a file still to be
 * uploaded): the recipient, caption, whether the provider takes `media`, and the credentials (each present, and
 * Kaleyra's business number in E.164).
 */
export function checkSendVideo(options: Omit<SendVideoOptions, 'link' | 'mediaId'>, media: 'link' | 'id'): void {
  const provider = getProvider(options.provider);
  const stand = media === 'link' ? { link: 'https://video.invalid/placeholder.mp4' } : { mediaId: 'placeholder' };
  prepareMessage({ ...options, ...stand }, { mediaIds: provider.mediaIds, statusVideos: provider.statusVideos, provider: provider.name });
  checkExtraInfo(options.extraInfo);
  connection(provider, options);
}

/** Credentials and host for a call; throws before any request when one is missing. */
export function connection(provider: ProviderDefinition, options: ProviderCallOptions) {
  const baseUrl = options.baseUrl === undefined ? undefined : checkBaseUrl(options.baseUrl, 'baseUrl').replace(/\/+$/, '');
  const resolved = resolveCredentials(provider, options.credentials ?? {}, options.env ?? process.env, { hasBaseUrl: baseUrl !== undefined });
  return { credentials: resolved.values, secrets: resolved.secrets, baseUrl: baseUrl ?? provider.defaultBaseUrl(resolved.values) };
}

export function callSettings(options: ProviderCallOptions, defaultTimeoutMs: number) {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new InvalidOptionError('timeoutMs', (name) => `${name('timeoutMs')} must be a positive number; got ${timeoutMs}`);
  return { timeoutMs, retry: { ...DEFAULT_RETRY_POLICY, ...options.retry }, signal: options.signal, onRetry: options.onRetry };
}

function checkExtraInfo(extraInfo: ExtraInfo | undefined): void {
  for (const [key, value] of Object.entries(extraInfo ?? {})) {
    if (typeof value === 'string' && value.length > 255) throw new InvalidOptionError(`extraInfo.${key}`, (name) => `${name(`extraInfo.${key}`)} may be at most 255 characters`);
  }
}
