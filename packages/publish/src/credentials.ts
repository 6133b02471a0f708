import { InvalidOptionError, MissingCredentialError } from './errors.js';
import { nonEmpty } from './non-empty.js';
import { parsePhoneNumber } from './phone.js';
import type { ProviderDefinition } from './providers/provider.js';

export interface ResolvedCredentials {
  values: Record<string, string>;
  /** Secret values, to scrub from anything that could be printed. */
  secrets: string[];
}

/**
 * Each credential of a provider from the passed values, else its environment variable, else its default.
 * A missing one throws MissingCredentialError naming the variable; one that is not a valid choice or phone
 * number throws InvalidOptionError naming the variable. Pure: the environment is an argument.
 */
export function resolveCredentials(
  provider: ProviderDefinition,
  given: Readonly<Record<string, string | undefined>>,
  env: Readonly<Record<string, string | undefined>>,
  options: { hasBaseUrl: boolean },
): ResolvedCredentials {
  const values: Record<string, string> = {};
  const secrets: string[] = [];
  for (const [key, spec] of Object.entries(provider.credentials)) {
    const value = nonEmpty(given[key]) ?? nonEmpty(env[spec.env]) ?? spec.default;
    if (value === undefined) {
      if (spec.hostOnly && options.hasBaseUrl) continue;
      throw new MissingCredentialError(provider.name, spec.env);
    }
    const { choices } = spec;
    if (choices && !choices.includes(value)) {
      throw new InvalidOptionError(spec.env, (name) => `${name(spec.env)} must be one of ${choices.join(', ')}; got '${value}'`);
    }
    values[key] = spec.phoneNumber ? parsePhoneNumber(value, spec.env) : value;
    if (spec.secret) secrets.push(value);
  }
  return { values, secrets };
}
