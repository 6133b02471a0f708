/** Every provider a video can be sent through. */
export const PROVIDER_NAMES = ['meta', '360dialog', 'gupshup', 'kaleyra', 'zixflow', 'zapi'] as const;

export type ProviderName = (typeof PROVIDER_NAMES)[number];
