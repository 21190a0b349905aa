import type { RepoConfig } from "../config/repo-config.js";
import type { ConfigError } from "../errors.js";

/** What reading `.github/pipelines.yml` gave: a config, no file (null), or the problems found. */
export type CachedConfig = RepoConfig | null | ConfigError;

/**
 * Keeps each repository's config for a while, so a burst of events costs one GitHub read.
 * A push to the default branch (where the file lives) drops the entry; `_extends` sources
 * elsewhere are picked up when the entry expires.
 */
export class RepoConfigCache {
  readonly #entries = new Map<string, { value: CachedConfig; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly clock: () => number,
  ) {}

  get(repository: string): CachedConfig | undefined {
    const entry = this.#entries.get(repository.toLowerCase());
    if (!entry || entry.expiresAt <= this.clock()) return undefined;
    return entry.value;
  }

  set(repository: string, value: CachedConfig): void {
    if (this.ttlMs > 0) this.#entries.set(repository.toLowerCase(), { value, expiresAt: this.clock() + this.ttlMs });
  }

  invalidate(repository: string): void {
    this.#entries.delete(repository.toLowerCase());
  }
}
