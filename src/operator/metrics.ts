import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import type { BacklogSource } from "./types.js";

export const METRIC_PREFIX = "pipeline_relay_";

/** What happened to a webhook delivery at the door. */
export type WebhookOutcome = "stored" | "duplicate" | "ignored" | "failed";
/** A vendor call's result: `ok`, or why it failed. `retryable` and `ambiguous` follow VendorError's flags. */
export type VendorCallOutcome = "ok" | "error" | "retryable_error" | "ambiguous" | "auth_error";
export type GitHubWriteKind = "check_create" | "check_update" | "status" | "comment" | "reaction";
export type GitHubWriteOutcome = "ok" | "error" | "rate_limited";
export type UploadOutcome = "accepted" | "rejected" | "unauthorized" | "too_large";

export interface RelayMetricsOptions {
  /** Process metrics (CPU, memory, event loop lag, handles) with the same prefix. Default true. */
  processMetrics?: boolean;
  clock?: () => number;
}

/** Vendor latencies span a fast GET to a slow trigger behind a queue: 50 ms to 60 s. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Every metric pipeline-relay exposes, on its own registry (so tests and several apps in one process do not
 * share counters). The engine calls the typed helpers; the backlog gauges are read from the store at scrape time.
 */
export class RelayMetrics {
  readonly registry = new Registry();
  private readonly clock: () => number;
  private backlogSource: BacklogSource | undefined;

  private readonly webhooks = new Counter({
    name: `${METRIC_PREFIX}webhooks_received_total`,
    help: "Webhook deliveries received, by GitHub event and what was done with them (stored, duplicate, ignored, failed).",
    labelNames: ["event", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly eventsPending = new Gauge({
    name: `${METRIC_PREFIX}events_pending`,
    help: "Stored webhook deliveries not yet handled.",
    registers: [this.registry],
  });
  private readonly oldestEventAge = new Gauge({
    name: `${METRIC_PREFIX}oldest_due_event_age_seconds`,
    help: "Age of the oldest stored delivery whose time has come (0 when none waits).",
    registers: [this.registry],
  });
  private readonly oldestRunWorkAge = new Gauge({
    name: `${METRIC_PREFIX}oldest_due_run_work_age_seconds`,
    help: "How long the oldest due run work (trigger, poll or GitHub write) has been waiting (0 when none).",
    registers: [this.registry],
  });
  private readonly activeRuns = new Gauge({
    name: `${METRIC_PREFIX}runs_active`,
    help: "Unfinished runs, by vendor and state.",
    labelNames: ["vendor", "state"] as const,
    registers: [this.registry],
  });
  private readonly storeUp = new Gauge({
    name: `${METRIC_PREFIX}store_up`,
    help: "1 when the last scrape could read the run store, else 0.",
    registers: [this.registry],
  });
  private readonly runsFinished = new Counter({
    name: `${METRIC_PREFIX}runs_finished_total`,
    help: "Runs that reached a final state, by vendor and state.",
    labelNames: ["vendor", "state"] as const,
    registers: [this.registry],
  });
  private readonly vendorCalls = new Counter({
    name: `${METRIC_PREFIX}vendor_calls_total`,
    help: "Calls to vendor APIs, by vendor, operation (trigger, get_run, cancel, retry, ...) and outcome.",
    labelNames: ["vendor", "operation", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly vendorLatency = new Histogram({
    name: `${METRIC_PREFIX}vendor_call_duration_seconds`,
    help: "Duration of vendor API calls including retries, by vendor and operation.",
    labelNames: ["vendor", "operation"] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly githubWrites = new Counter({
    name: `${METRIC_PREFIX}github_writes_total`,
    help: "Writes to GitHub (check runs, statuses, comments, reactions), by kind and outcome.",
    labelNames: ["kind", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly githubRateLimit = new Gauge({
    name: `${METRIC_PREFIX}github_rate_limit_remaining`,
    help: "The x-ratelimit-remaining GitHub last answered, by installation.",
    labelNames: ["installation"] as const,
    registers: [this.registry],
  });
  private readonly uploads = new Counter({
    name: `${METRIC_PREFIX}results_uploads_total`,
    help: "Test-results uploads, by format (junit, summary, unknown) and outcome (accepted, rejected, unauthorized, too_large).",
    labelNames: ["format", "outcome"] as const,
    registers: [this.registry],
  });

  constructor(options: RelayMetricsOptions = {}) {
    this.clock = options.clock ?? Date.now;
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: METRIC_PREFIX });
  }

  /** Where the backlog gauges come from (the store's `backlog(now)`), read once per scrape. */
  observeBacklog(source: BacklogSource): void {
    this.backlogSource = source;
  }

  webhookReceived(event: string, outcome: WebhookOutcome): void {
    this.webhooks.inc({ event, outcome });
  }

  vendorCall(vendor: string, operation: string, outcome: VendorCallOutcome, seconds: number): void {
    this.vendorCalls.inc({ vendor, operation, outcome });
    this.vendorLatency.observe({ vendor, operation }, seconds);
  }

  /** Times `call` and records it: `ok` when it resolves, else the outcome `classify` gives the error. */
  async timeVendorCall<T>(vendor: string, operation: string, call: () => Promise<T>, classify: (error: unknown) => VendorCallOutcome): Promise<T> {
    const started = performance.now();
    try {
      const result = await call();
      this.vendorCall(vendor, operation, "ok", (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      this.vendorCall(vendor, operation, classify(error), (performance.now() - started) / 1000);
      throw error;
    }
  }

  runFinished(vendor: string, state: string): void {
    this.runsFinished.inc({ vendor, state });
  }

  /** `rateLimitRemaining`: the response's `x-ratelimit-remaining` header, when there was a response. */
  githubWrite(kind: GitHubWriteKind, outcome: GitHubWriteOutcome, installationId?: number, rateLimitRemaining?: string | number): void {
    this.githubWrites.inc({ kind, outcome });
    if (installationId !== undefined && rateLimitRemaining !== undefined) this.githubRateLimitSeen(installationId, rateLimitRemaining);
  }

  githubRateLimitSeen(installationId: number, remaining: string | number): void {
    const value = Number(remaining);
    if (Number.isFinite(value)) this.githubRateLimit.set({ installation: String(installationId) }, value);
  }

  resultsUpload(format: "junit" | "summary" | "unknown", outcome: UploadOutcome): void {
    this.uploads.inc({ format, outcome });
  }

  /** The Prometheus text exposition, backlog gauges refreshed first. */
  async render(): Promise<string> {
    await this.refreshBacklog();
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  private async refreshBacklog(): Promise<void> {
    if (!this.backlogSource) return;
    const now = this.clock();
    try {
      const backlog = await this.backlogSource.backlog(now);
      this.eventsPending.set(backlog.pendingEvents);
      this.oldestEventAge.set(ageSeconds(backlog.oldestDueEventAt, now));
      this.oldestRunWorkAge.set(ageSeconds(backlog.oldestDueRunAt, now));
      this.activeRuns.reset();
      for (const { vendor, state, count } of backlog.activeRuns) this.activeRuns.set({ vendor, state }, count);
      this.storeUp.set(1);
    } catch {
      // The scrape still answers: store_up says what is wrong, the other gauges keep their last values.
      this.storeUp.set(0);
    }
  }
}

export function ageSeconds(since: number | null, now: number): number {
  return since === null ? 0 : Math.max(0, (now - since) / 1000);
}

/** The outcome label for a failed vendor call, from VendorError's flags (duck-typed: any error works). */
export function vendorErrorOutcome(error: unknown): VendorCallOutcome {
  const flags = (error ?? {}) as { status?: unknown; ambiguous?: unknown; retryable?: unknown };
  if (flags.status === 401 || flags.status === 403) return "auth_error";
  if (flags.ambiguous === true) return "ambiguous";
  if (flags.retryable === true) return "retryable_error";
  return "error";
}
