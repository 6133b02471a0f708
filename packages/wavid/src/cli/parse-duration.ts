import { UsageError } from './usage-error.js';

const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Parses `3600`, `90s`, `30m`, `12h` or `7d` into whole seconds. */
export function parseDuration(text: string, option: string): number {
  const match = /^\s*(\d+)\s*([smhd]?)\s*$/i.exec(text);
  if (!match) throw new UsageError(`${option} takes a duration such as 3600, 30m, 12h or 7d; got '${text}'`);
  return Number(match[1]) * (SECONDS[(match[2] ?? '').toLowerCase()] ?? 1);
}
