/** Stable codes for why a campaign could not start or had to stop. */
export type CampaignErrorCode =
  /** The recipient list cannot be read: a malformed row, a missing column, an invalid number. */
  | 'bad-recipients'
  /** Another process is sending this campaign right now. */
  | 'locked'
  /** The campaign exists with other settings (video, provider, template); resuming it with these would mix two campaigns. */
  | 'settings-changed'
  /** The provider refused the account, not a recipient (credentials, balance, template): nothing more is sent. */
  | 'account-refused'
  /** The provider kept failing (no connection, or answers that leave messages unknown): stopped before more are affected. */
  | 'provider-failing'
  /** The ledger file is not a campaign ledger, or from a newer wavid. */
  | 'bad-ledger';

/** A campaign that cannot start, or stopped. `line` names the CSV line for `bad-recipients`. */
export class CampaignError extends Error {
  override readonly name = 'CampaignError';

  constructor(
    readonly code: CampaignErrorCode,
    message: string,
    readonly details: { line?: number; providerCode?: string | null; cause?: unknown } = {},
  ) {
    super(message, { cause: details.cause });
  }
}
