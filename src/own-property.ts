/**
 * Lookups by a name someone else wrote (a repository's `connection:`, a vendor id, a command word) read
 * own properties only: `constructor`, `__proto__` or `toString` must never reach Object.prototype.
 */
export function ownValue<Value>(record: Readonly<Record<string, Value>>, key: string): Value | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}
