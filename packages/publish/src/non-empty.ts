/** A setting's value, trimmed; undefined when it is unset or blank, so an empty variable counts as not set. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value.trim();
}
