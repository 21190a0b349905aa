import { planReopenedRuns } from "../../../src/github/reopened-runs.js";

type Run = Parameters<Parameters<typeof planReopenedRuns>[1]>[0] extends never ? never : { state: string };

describe("planReopenedRuns", () => {
  const pipelines = [{ name: "never-ran" }, { name: "cancelled" }, { name: "passed" }, { name: "running" }];
  const latest: Record<string, Run> = { cancelled: { state: "cancelled" }, passed: { state: "success" }, running: { state: "running" } };
  it("starts a first attempt, new attempts for ended runs, and leaves running ones alone", () => {
    const plan = planReopenedRuns(pipelines, (name) => latest[name] as never);
    expect(plan.first.map((p) => p.name)).toEqual(["never-ran"]);
    expect(plan.again.map((p) => p.name)).toEqual(["cancelled", "passed"]);
  });
});
