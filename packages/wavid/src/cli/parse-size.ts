import { UsageError } from './usage-error.js';

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3 };

/** Parses `16000000`, `16MB`, `15.5 MB` or `10MiB` into bytes. MB is decimal, as WhatsApp states its limits. */
export function parseSize(text: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  const unit = UNITS[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined) throw new UsageError(`${option} takes a size such as 16000000, 16MB or 10MiB; got '${text}'`);
  const bytes = Math.floor(Number(match[1]) * unit);
  if (bytes <= 0) throw new UsageError(`${option} must be more than 0 bytes; got '${text}'`);
  return bytes;
}

/** Parses a whole number within bounds, for options such as --concurrency. */
export function parseCount(text: string, option: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new UsageError(`${option} takes a whole number from ${min} to ${max}; got '${text}'`);
  }
  return value;
}

/** Checks that a value is one of the allowed choices. */
export function parseChoice<T extends string>(text: string, option: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) throw new UsageError(`${option} must be one of ${choices.join(', ')}; got '${text}'`);
  return text as T;
}
