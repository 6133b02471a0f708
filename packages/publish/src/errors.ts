import type { Recovery } from '@wavid/foundation';
import type { Violation } from '@wavid/probe';
import type { ProviderName } from './providers/provider-name.js';

// The option error is shared by every stage; publish's callers keep importing it from here.
export { InvalidOptionError, type OptionNamer } from '@wavid/foundation';

/** A provider credential was neither passed nor set in the environment. `variable` is the environment variable to set. */
export class MissingCredentialError extends Error {
  override readonly name = 'MissingCredentialError';
  readonly code = 'missing-credential';
  readonly recovery: Recovery = 'give-up';

  constructor(
    readonly provider: ProviderName,
    readonly variable: string,
  ) {
    super(`${missingCredentialProblem(provider, variable)} or pass it in credentials`);
  }
}

/** What a missing credential asks for, without the library's way of passing it. */
export function missingCredentialProblem(provider: ProviderName, variable: string): string {
  return `${provider} needs ${variable}: set it in the environment`;
}

/**
 * Stable codes for failures to gate a file, put it in the store and hand out a link. `object-too-large`: an
 * object read whole into memory (a manifest, a job's result) is larger than any wavid writes.
 */
export type PublishErrorCode = 'not-compliant' | 'read-failed' | 'store-failed' | 'link-check-failed' | 'object-too-large';

/** Names of the S3 errors that say the credentials were refused, or that there are none. */
const REFUSED_CREDENTIAL = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'AccessDenied', 'ExpiredToken', 'CredentialsProviderError']);

/**
 * The file could not be published or sent: it does not comply or could not be read (both from `gateVideo`), the
 * store refused, or the link fails Meta's checks.
 */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  /** For `not-compliant`: what the file breaks. Empty otherwise. */
  readonly violations: Violation[];

  constructor(
    readonly code: PublishErrorCode,
    message: string,
    readonly path: string,
    details: { violations?: Violation[]; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
    this.violations = details.violations ?? [];
  }

  /**
   * A file that does not comply stays so, an object too large stays so until someone replaces it, and a
   * store that refuses the credentials refuses them again;
   * reading, storing and fetching may otherwise work later.
   */
  get recovery(): Recovery {
    if (this.code === 'not-compliant' || this.code === 'object-too-large') return 'give-up';
    if (this.code === 'store-failed' && this.cause instanceof Error && REFUSED_CREDENTIAL.has(this.cause.name)) return 'give-up';
    return 'retry';
  }
}

/**
 * Stable codes for provider failures. `unreachable` means no connection was made (refused, DNS), so nothing was
 * sent; `timeout` and `network` mean the request may have gone out; the others are answers from the provider.
 */
export type ProviderErrorCode =
  | 'unauthorized'
  | 'rejected'
  | 'rate-limited'
  | 'server-error'
  | 'bad-response'
  /** A success answer over the size any answer of the API has (1 MB); it was not read. */
  | 'answer-too-large'
  | 'unreachable'
  | 'timeout'
  | 'network';

export interface ProviderErrorFields {
  provider: ProviderName;
  /** HTTP status of the answer, or null when there was none. */
  status: number | null;
  /** The provider's own error code (`WA401`, `190`, `error`...) when its answer carries one. */
  providerCode: string | null;
  /**
   * True only when the message certainly was not sent and trying again later may work (no connection was made,
   * or a 429). A timeout or a 5xx is never retryable: the message may already be on its way.
   */
  retryable: boolean;
  /** The wait a refusal asked for in `Retry-After`, in milliseconds; null when it gave none. */
  retryAfterMs?: number | null | undefined;
}

/** A provider refused the request, or could not be reached. The message never contains a credential. */
export class ProviderError extends Error implements ProviderErrorFields {
  override readonly name = 'ProviderError';
  readonly provider: ProviderName;
  readonly status: number | null;
  readonly providerCode: string | null;
  readonly retryable: boolean;
  readonly retryAfterMs: number | null;

  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    fields: ProviderErrorFields,
  ) {
    super(message);
    this.provider = fields.provider;
    this.status = fields.status;
    this.providerCode = fields.providerCode;
    this.retryable = fields.retryable;
    this.retryAfterMs = fields.retryAfterMs ?? null;
  }

  /** Only what certainly did not send a message is tried again: `retryable` decides. */
  get recovery(): Recovery {
    return this.retryable ? 'retry' : 'give-up';
  }
}
