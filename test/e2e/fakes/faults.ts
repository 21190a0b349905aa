/**
 * Fault knobs shared by the fake GitHub and the fake GitLab. A rule matches requests by method and path,
 * for its first `times` matches and/or inside a time window, and says what goes wrong.
 * Pure: `pickFault` decides, the servers carry it out.
 */
export interface FaultRule {
  /** Any method when unset. */
  method?: string;
  path: RegExp;
  /** Applies to this many matching requests, then is spent. Unlimited when unset. */
  times?: number;
  /** Epoch ms window in which the rule applies (inclusive from, exclusive until). */
  from?: number;
  until?: number;
  /** Answer this status (with a short JSON error body) instead of the real answer. */
  status?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Run the real handler first (the pipeline or check run is created), then apply the fault to the answer. */
  afterEffect?: boolean;
  /** Close the socket instead of answering: the client never learns the outcome. */
  dropConnection?: boolean;
  /** Send the headers and half of the body, then never finish (until the server closes). */
  stallBody?: boolean;
}

/** A rule as the fake keeps it: how many of its `times` are used. */
export interface ActiveFault {
  rule: FaultRule;
  used: number;
}

export interface RequestFacts {
  method: string;
  path: string;
  now: number;
}

/** The first live rule that matches, counted as used; undefined when the request is served normally. */
export function pickFault(faults: ActiveFault[], request: RequestFacts): FaultRule | undefined {
  for (const fault of faults) {
    const { rule } = fault;
    if (rule.method && rule.method.toUpperCase() !== request.method.toUpperCase()) continue;
    if (!rule.path.test(request.path)) continue;
    if (rule.from !== undefined && request.now < rule.from) continue;
    if (rule.until !== undefined && request.now >= rule.until) continue;
    if (rule.times !== undefined && fault.used >= rule.times) continue;
    fault.used += 1;
    return rule;
  }
  return undefined;
}

/** What the fake does with a request, in order; derived from the picked rule. */
export interface FaultPlan {
  delayBeforeMs: number;
  runHandler: boolean;
  delayAfterMs: number;
  outcome: "answer" | "status" | "drop" | "stall";
  status?: number;
}

export function planFor(rule: FaultRule | undefined): FaultPlan {
  if (!rule) return { delayBeforeMs: 0, runHandler: true, delayAfterMs: 0, outcome: "answer" };
  const after = rule.afterEffect === true;
  const delay = rule.delayMs ?? 0;
  const outcome = rule.dropConnection ? "drop" : rule.stallBody ? "stall" : rule.status !== undefined ? "status" : "answer";
  return {
    delayBeforeMs: after ? 0 : delay,
    // A status or a drop before the effect means the vendor did nothing; after it, the effect happened.
    runHandler: after || outcome === "answer" || outcome === "stall",
    delayAfterMs: after ? delay : 0,
    outcome,
    ...(rule.status !== undefined ? { status: rule.status } : {}),
  };
}
