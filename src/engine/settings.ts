import { z } from "zod";

/** The operator's `engine:` block: how much background work one process does at once and how long it waits. */
export const engineSettings = z
  .strictObject({
    /** Units of work in flight per process, per kind (events, vendor calls, GitHub writes). */
    concurrency: z.number().int().positive().max(256).default(16),
    /** In-flight units per installation (events and GitHub writes each), so one installation cannot take every worker. */
    per_installation: z.number().int().positive().max(64).default(4),
    /** A claimed unit belongs to its worker this long; it is renewed while the work runs and expires after a crash. */
    lease_seconds: z.number().int().min(5).max(3600).default(60),
    /** A vendor outage delays a trigger up to this long before the run ends as error. */
    outage_limit_minutes: z.number().positive().default(30),
    /** Consecutive failed or malformed polls that end a run as error. */
    poll_failure_limit: z.number().int().positive().default(5),
    /** SIGTERM: in-flight work finishes (or is given back) within this many seconds, then the process exits. */
    shutdown_seconds: z.number().positive().max(600).default(25),
    /** Finished runs are forgotten after this many days; handled deliveries after `deliveries_days`. */
    retention: z
      .strictObject({ runs_days: z.number().positive().default(90), deliveries_days: z.number().positive().default(14) })
      .default({ runs_days: 90, deliveries_days: 14 }),
  })
  .default({
    concurrency: 16,
    per_installation: 4,
    lease_seconds: 60,
    outage_limit_minutes: 30,
    poll_failure_limit: 5,
    shutdown_seconds: 25,
    retention: { runs_days: 90, deliveries_days: 14 },
  });

export type EngineSettings = z.infer<typeof engineSettings>;
