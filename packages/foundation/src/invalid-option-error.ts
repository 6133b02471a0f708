import type { Recovery } from './failure.js';

/** Says how an option is called where the message is shown: the library's own name, or a command's flag. */
export type OptionNamer = (option: string) => string;

/**
 * A bad option or message field, found before any work or request was done. `option` names the field
 * (`to`, `caption`, `outDir`, `profile`...), so a CLI can point at the flag; `messageNaming` words the
 * message with the caller's names for the options it mentions. Defined here, below every stage, so each
 * stage's entry throws the same class.
 */
export class InvalidOptionError extends TypeError {
  override readonly name = 'InvalidOptionError';
  readonly code = 'invalid-option';
  readonly recovery: Recovery = 'give-up';

  constructor(
    readonly option: string,
    private readonly describe: (name: OptionNamer) => string,
  ) {
    super(describe((option) => option));
  }

  /** The message with every option it mentions named by `name`, e.g. as a command-line flag. */
  messageNaming(name: OptionNamer): string {
    return this.describe(name);
  }
}
