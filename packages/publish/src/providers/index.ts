import { InvalidOptionError } from '../errors.js';
import { dialog360 } from './dialog360.js';
import { gupshup } from './gupshup.js';
import { kaleyra } from './kaleyra.js';
import { meta } from './meta.js';
import type { ProviderDefinition } from './provider.js';
import { PROVIDER_NAMES, type ProviderName } from './provider-name.js';
import { zapi } from './zapi.js';
import { zixflow } from './zixflow.js';

const PROVIDERS: Record<ProviderName, ProviderDefinition> = { meta, '360dialog': dialog360, gupshup, kaleyra, zixflow, zapi };

/** The definition of a provider by name, or an InvalidOptionError listing the names. */
export function getProvider(name: string): ProviderDefinition {
  if (!(PROVIDER_NAMES as readonly string[]).includes(name)) {
    throw new InvalidOptionError('provider', (optionName) => `${optionName('provider')} must be one of ${PROVIDER_NAMES.join(', ')}; got '${name}'`);
  }
  return PROVIDERS[name as ProviderName];
}
