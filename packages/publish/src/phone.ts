import { InvalidOptionError } from './errors.js';

/** `+` optional, a country code that does not start with 0, 8 to 15 digits in all: E.164. */
const E164 = /^\+?([1-9]\d{7,14})$/;

/**
 * The digits of an E.164 number, or an InvalidOptionError naming `option`. Spaces, dashes and brackets are
 * refused rather than guessed at: a number that is silently rewritten can reach the wrong person.
 */
export function parsePhoneNumber(text: string, option: string): string {
  const match = E164.exec(text.trim());
  if (!match?.[1]) {
    throw new InvalidOptionError(
      option,
      (name) => `${name(option)} must be a phone number in E.164 form, a country code and 8 to 15 digits in all such as +4915112345678; got '${text}'`,
    );
  }
  return match[1];
}
