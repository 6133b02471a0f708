import { openAsBlob } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError, type ProviderErrorCode } from '../errors.js';
import type { HttpAnswer, HttpRequest, Refusal } from '../providers/provider.js';
import type { ProviderName } from '../providers/provider-name.js';
import { redact, redactAndClip } from './redact.js';
import { classifyNetworkError, decideRetry, parseRetryAfter, type RetryPolicy } from './retry-policy.js';
import { cancelError, throwIfCancelled } from '@wavid/foundation';

/** A retry about to happen, for logs and progress displays. */
export interface RetryEvent {
  type: 'retry';
  /** The attempt that failed, from 1. */
  attempt: number;
  delayMs: number;
  reason: 'not-connected' | 'rate-limited';
}

export interface SendHttpOptions {
  provider: ProviderName;
  title: string;
  secrets: readonly string[];
  timeoutMs: number;
  retry: RetryPolicy;
  signal?: AbortSignal | undefined;
  onRetry?: ((event: RetryEvent) => void) | undefined;
}

/**
 * Sends one request and returns the answer, whatever its status, except 429s that are retried. Throws
 * ProviderError when no answer came. A credential never reaches an error message: the URL is not printed
 * (Z-API puts its token there) and every text from the far side is scrubbed.
 */
export async function sendHttp(request: HttpRequest, options: SendHttpOptions): Promise<HttpAnswer> {
  for (let attempt = 1; ; attempt++) {
    throwIfCancelled(options.signal);
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(request.url, { method: request.method, headers: request.headers, body: await encodeBody(request), signal, redirect: 'manual' });
    } catch (error) {
      if (options.signal?.aborted) throw cancelError(options.signal);
      if (timeout.aborted) throw timedOut(options);
      const kind = classifyNetworkError(error);
      const decision = decideRetry({ kind }, attempt, options.retry);
      if (decision.retry) {
        options.onRetry?.({ type: 'retry', attempt, delayMs: decision.delayMs, reason: 'not-connected' });
        await pause(decision.delayMs, options.signal);
        continue;
      }
      throw noAnswer(kind === 'not-connected' ? 'unreachable' : 'network', error, attempt, options);
    }
    const success = response.status >= 200 && response.status < 300;
    const limit = success ? MAX_SUCCESS_BYTES : MAX_REFUSAL_BYTES;
    let text: string;
    try {
      const read = await readBounded(response, limit);
      // A refusal is only read for its message: the first KB say why. A success that large is no provider's answer.
      if (read.cut && success) throw tooLarge(options, limit, response.status);
      text = read.text;
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      if (options.signal?.aborted) throw cancelError(options.signal);
      if (timeout.aborted) throw timedOut(options);
      throw noAnswer('network', error, attempt, options);
    }
    if (response.status === 429) {
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      const decision = decideRetry({ kind: 'rate-limited', retryAfterMs }, attempt, options.retry);
      if (decision.retry) {
        options.onRetry?.({ type: 'retry', attempt, delayMs: decision.delayMs, reason: 'rate-limited' });
        await pause(decision.delayMs, options.signal);
        continue;
      }
    }
    return { status: response.status, headers: response.headers, body: parseBody(text) };
  }
}

/** The most of an error answer that is read: its message is in the first bytes. */
export const MAX_REFUSAL_BYTES = 64 * 1024;
/** The largest success answer taken: the providers' answers are a few hundred bytes of JSON. */
export const MAX_SUCCESS_BYTES = 1024 * 1024;

/** Reads at most `limit` bytes of a body and cancels the rest, so a huge or endless answer costs no memory. */
export async function readBounded(response: Response, limit: number): Promise<{ text: string; cut: boolean }> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > limit && response.status >= 200 && response.status < 300) {
    await response.body?.cancel().catch(() => undefined);
    return { text: '', cut: true };
  }
  if (!response.body) return { text: '', cut: false };
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let cut = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = limit - size;
    chunks.push(value.length > room ? value.subarray(0, room) : value);
    size += Math.min(value.length, room);
    if (value.length >= room) {
      cut = value.length > room || !(await reader.read().then((next) => next.done));
      if (cut) await reader.cancel().catch(() => undefined);
      break;
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), cut };
}

function tooLarge(options: SendHttpOptions, limit: number, status: number): ProviderError {
  return new ProviderError('answer-too-large', `${options.title} answered with more than ${limit / 1024} KB, which no answer of its API is; it was not read`, {
    provider: options.provider,
    status,
    providerCode: null,
    retryable: false,
  });
}

async function encodeBody(request: HttpRequest): Promise<string | FormData> {
  if (request.body.kind === 'json') return JSON.stringify(request.body.value);
  const form = new FormData();
  for (const [name, value] of request.body.fields) form.append(name, value);
  const { field, path, filename, contentType } = request.body.file;
  // openAsBlob reads the file as fetch sends it, so a video is never held in memory whole.
  form.append(field, await openAsBlob(path, { type: contentType }), filename);
  return form;
}

function parseBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function timedOut(options: SendHttpOptions): ProviderError {
  return new ProviderError(
    'timeout',
    `${options.title} did not answer within ${options.timeoutMs / 1000} s; the request may have been delivered, so it was not repeated`,
    { provider: options.provider, status: null, providerCode: null, retryable: false },
  );
}

function noAnswer(code: 'unreachable' | 'network', error: unknown, attempts: number, options: SendHttpOptions): ProviderError {
  const detail = redact(describeNetworkError(error), options.secrets);
  const message =
    code === 'unreachable'
      ? `cannot reach ${options.title} (${detail}) after ${attempts} ${attempts === 1 ? 'try' : 'tries'}; nothing was sent`
      : `the connection to ${options.title} failed (${detail}); the request may have been delivered, so it was not repeated`;
  return new ProviderError(code, message, { provider: options.provider, status: null, providerCode: null, retryable: code === 'unreachable' });
}

function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message || code || 'connection failed';
  }
  return String(cause);
}

/** The ProviderError for an answer the provider's parser read as a refusal. */
export function refusedError(answer: HttpAnswer, refusal: Refusal, options: Pick<SendHttpOptions, 'provider' | 'title' | 'secrets'>): ProviderError {
  const code = errorCodeForStatus(answer.status);
  // Scrubbed whole, then cut: a cut first could leave half a token that no longer matches the secret.
  const providerCode = refusal.providerCode === null ? null : redactAndClip(refusal.providerCode, options.secrets, 64);
  const label = [`HTTP ${answer.status}`, providerCode].filter(Boolean).join(', ');
  const verb = answer.status >= 200 && answer.status < 300 ? 'gave an answer that is not a success' : 'refused the request';
  return new ProviderError(code, `${options.title} ${verb} (${label}): ${redactAndClip(refusal.message, options.secrets)}`, {
    provider: options.provider,
    status: answer.status,
    providerCode,
    retryable: answer.status === 429,
    retryAfterMs: parseRetryAfter(answer.headers.get('retry-after'), Date.now()),
  });
}

/** Stable error code for an HTTP status. */
export function errorCodeForStatus(status: number): ProviderErrorCode {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server-error';
  if (status >= 200 && status < 300) return 'bad-response';
  return 'rejected';
}

/** Waits before a retry; a cancel during the wait ends it as every cancel does. */
async function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  try {
    await sleep(ms, undefined, { signal });
  } catch (error) {
    throw signal?.aborted ? cancelError(signal) : error;
  }
}
