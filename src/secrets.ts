/**
 * Replaces every known secret (tokens, passwords, secret variables) with `***`.
 * Everything that leaves the process for a person to read — check runs, statuses,
 * comments, logs, error messages — passes through one of these.
 */
export class SecretMasker {
  readonly #secrets = new Set<string>();

  constructor(secrets: Iterable<string> = []) {
    for (const secret of secrets) this.add(secret);
  }

  add(secret: string | undefined): void {
    // Very short values would mask ordinary words; a credential is never that short.
    if (secret && secret.length >= 4) this.#secrets.add(secret);
  }

  mask(text: string): string {
    let masked = text;
    // Longest first, so a secret that contains another is masked whole.
    for (const secret of [...this.#secrets].sort((a, b) => b.length - a.length)) {
      masked = masked.split(secret).join("***");
    }
    return masked;
  }

  get size(): number {
    return this.#secrets.size;
  }
}
