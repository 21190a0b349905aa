import type { Logger } from "probot";
import type { RelayStore } from "../storage/types.js";
import type { EngineSettings } from "./settings.js";

const PRUNE_EVERY_MS = 60 * 60_000;
const DAY = 24 * 60 * 60_000;

/** Forgets handled deliveries and finished runs older than the operator's retention, at most once an hour. */
export class Retention {
  #lastPrune = 0;

  constructor(
    private readonly store: RelayStore,
    private readonly retention: EngineSettings["retention"],
    private readonly log: Pick<Logger, "info">,
  ) {}

  async pruneNowAndThen(now: number): Promise<void> {
    if (now - this.#lastPrune < PRUNE_EVERY_MS) return;
    this.#lastPrune = now;
    const events = await this.store.pruneEvents(now - this.retention.deliveries_days * DAY);
    const runs = await this.store.pruneRuns(now - this.retention.runs_days * DAY);
    if (events + runs > 0) this.log.info({ events, runs }, "forgot old deliveries and finished runs");
  }
}
