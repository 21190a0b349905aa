import type { Row } from "./rows.js";
import { FULL_HEADS_SEARCH_EVERY_MS } from "./store-sql.js";
import type { ClaimOptions } from "./types.js";

/**
 * Event claims in two reads, for both stores. The regular claim looks for repository heads among the oldest pending
 * events only (a bounded read, so a long backlog does not make every claim slower); when that finds fewer than asked,
 * the whole backlog is searched too, at most once a second per process, so a repository whose first pending event
 * sits behind hundreds of another repository's waits at most that long.
 */
export class EventHeadsSearch {
  #lastFullSearchAt = Number.NEGATIVE_INFINITY;

  async claim(options: ClaimOptions, sql: { recent: string; all: string }, run: (sql: string, limit: number) => Promise<Row[]>): Promise<Row[]> {
    const recent = await run(sql.recent, options.limit);
    const sinceFull = options.now - this.#lastFullSearchAt;
    if (recent.length >= options.limit || (sinceFull >= 0 && sinceFull < FULL_HEADS_SEARCH_EVERY_MS)) return recent;
    this.#lastFullSearchAt = options.now;
    return [...recent, ...(await run(sql.all, options.limit - recent.length))];
  }
}
