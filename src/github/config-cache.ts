import { REPO_CONFIG_PATH, type RepoConfig } from "../config/repo-config.js";
import type { ConfigError } from "../errors.js";

/** What reading `.github/pipelines.yml` gave: a config, no file (null), or the problems found. */
export type CachedConfig = RepoConfig | null | ConfigError;

/**
 * Pure: whether a push to the default branch (where the file lives) may have changed `.github/pipelines.yml`.
 * Only when the push says which files its commits touched and none is the file can the cached config stay:
 * a forced push can undo a change no listed commit shows, and GitHub lists at most 20 commits (normalizePush
 * leaves `changedFiles` undefined then, and for a push without commits).
 */
export function pushMayChangeConfig(changedFiles: readonly string[] | undefined, forced: boolean): boolean {
  return forced || changedFiles === undefined || changedFiles.includes(REPO_CONFIG_PATH);
}

/**
 * Keeps each repository's config for a while, so a burst of events costs one GitHub read.
 * A push to the default branch that may have changed the file drops the entry; `_extends` sources
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
