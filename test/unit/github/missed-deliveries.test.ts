import type { DeliveryAttempt } from "../../../src/github/app-deliveries.js";
import { decideRedeliveries } from "../../../src/github/missed-deliveries.js";

const NOW = Date.parse("2026-11-23T10:00:00Z");
const MINUTE = 60_000;
const WINDOW = 3 * 24 * 60 * MINUTE;

function attempt(id: number, guid: string, minutesAgo: number, status: number, extra: Partial<DeliveryAttempt> = {}): DeliveryAttempt {
  return { id, guid, delivered_at: NOW - minutesAgo * MINUTE, redelivery: false, status_code: status, event: "push", action: null, installation_id: 1, ...extra };
}

const decide = (attempts: DeliveryAttempt[], known: string[] = [], maxRedeliveries = 3) =>
  decideRedeliveries({
    attempts,
    known: new Set(known),
    now: NOW,
    windowMs: WINDOW,
    maxRedeliveries,
    isWanted: (event, action) => event !== "issue_comment" || action === "created",
  });

describe("which missed deliveries to redeliver", () => {
  const healthy = attempt(100, "fresh", 1, 200);

  it.each<[string, DeliveryAttempt[], string[], Array<[number, string, string]>]>([
    ["a failed delivery the store never got", [healthy, attempt(9, "lost", 30, 502)], ["fresh"], [[9, "lost", "failed"]]],
    ["a timed-out delivery (status 0)", [healthy, attempt(9, "lost", 30, 0)], ["fresh"], [[9, "lost", "failed"]]],
    ["a failed delivery the store has after all (its answer was lost)", [healthy, attempt(9, "stored", 30, 502)], ["fresh", "stored"], []],
    ["a 2xx delivery the store lost (a restored database)", [healthy, attempt(9, "gone", 30, 202)], ["fresh"], [[9, "gone", "unseen"]]],
    ["an event the app drops on purpose (answered 2xx, not stored)", [healthy, attempt(9, "edit", 30, 200, { event: "issue_comment", action: "edited" })], ["fresh"], []],
    ["a failed event the app would drop anyway", [healthy, attempt(9, "edit", 30, 500, { event: "issue_comment", action: "edited" })], ["fresh"], []],
    ["a delivery without an installation", [healthy, attempt(9, "app", 30, 500, { installation_id: null })], ["fresh"], []],
    ["a failure outside GitHub's redelivery window", [healthy, attempt(9, "old", 3 * 24 * 60 + 1, 500)], ["fresh"], []],
    ["the newest attempt of a failed delivery that was redelivered once", [healthy, attempt(9, "again", 50, 500), attempt(12, "again", 20, 500, { redelivery: true })], ["fresh"], [[12, "again", "failed"]]],
    ["several missed deliveries, oldest first", [healthy, attempt(11, "b", 10, 500), attempt(9, "a", 40, 500)], ["fresh"], [[9, "a", "failed"], [11, "b", "failed"]]],
  ])("%s", (_case, attempts, known, expected) => {
    const decision = decide(attempts, known);
    expect(decision.redeliver.map((r) => [r.attemptId, r.guid, r.reason])).toEqual(expected);
    expect(decision.probing).toBe(false);
  });

  it("gives up on a delivery redelivered max_redeliveries times", () => {
    const attempts = [healthy, attempt(1, "poison", 90, 413), attempt(2, "poison", 60, 413, { redelivery: true }), attempt(3, "poison", 30, 413, { redelivery: true })];
    expect(decide(attempts, ["fresh"], 2)).toEqual({ redeliver: [], gaveUp: ["poison"], probing: false });
  });

  it("while the newest attempt of all failed, tries only the newest missed delivery", () => {
    const decision = decide([attempt(9, "a", 40, 502), attempt(10, "b", 20, 502), attempt(11, "c", 1, 502)]);
    expect(decision).toEqual({ redeliver: [{ attemptId: 11, guid: "c", reason: "failed" }], gaveUp: [], probing: true });
  });

  it("an empty list asks for nothing", () => {
    expect(decide([])).toEqual({ redeliver: [], gaveUp: [], probing: false });
  });
});
