import nock from "nock";
import { request } from "node:http";
import { startFakeGitLab, type FakeGitLab } from "./fakes/fake-gitlab.js";

/** The fault knobs do what the scenarios rely on, seen from an ordinary HTTP client. */
let gitlab: FakeGitLab;
beforeAll(() => nock.enableNetConnect("127.0.0.1"));
beforeEach(async () => {
  gitlab = await startFakeGitLab({ pendingMs: 0, durationMs: 0 });
});
afterEach(() => gitlab.close());

function call(path: string, body: unknown, timeoutMs = 2000): Promise<{ status: number | "closed" | "stalled"; ms: number; text: string }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const req = request(`${gitlab.url}${path}`, { method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      let text = "";
      const timer = setTimeout(() => {
        resolve({ status: "stalled", ms: Date.now() - started, text });
        res.destroy();
      }, timeoutMs);
      res.on("data", (chunk: Buffer) => (text += chunk.toString()));
      res.on("end", () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode!, ms: Date.now() - started, text });
      });
    });
    req.on("error", () => resolve({ status: "closed", ms: Date.now() - started, text: "" }));
    req.end(JSON.stringify(body));
  });
}

const create = (project: string) => call(`/api/v4/projects/${encodeURIComponent(project)}/pipeline`, { ref: "main", variables: [{ key: "RELAY_RUN_ID", value: "1" }] });

test("504 after create: the pipeline exists, the client sees 504", async () => {
  gitlab.addFault({ method: "POST", path: /\/pipeline$/, times: 1, afterEffect: true, status: 504 });
  expect((await create("group/api")).status).toBe(504);
  expect(gitlab.pipelines).toHaveLength(1);
  expect((await create("group/api")).status).toBe(201);
  expect([...gitlab.createsPerRunId()]).toEqual([["1", 2]]);
});

test("a 5xx window before the effect creates nothing", async () => {
  gitlab.addFault({ path: /./, status: 500, until: Date.now() + 60_000 });
  expect((await create("group/api")).status).toBe(500);
  expect(gitlab.pipelines).toEqual([]);
});

test("a closed connection after create: the pipeline exists, the client gets no answer", async () => {
  gitlab.addFault({ method: "POST", path: /\/pipeline$/, times: 1, afterEffect: true, dropConnection: true });
  expect((await create("group/api")).status).toBe("closed");
  expect(gitlab.pipelines).toHaveLength(1);
});

test("a stalled body: headers arrive, the body never ends", async () => {
  gitlab.addFault({ method: "POST", path: /\/pipeline$/, times: 1, stallBody: true });
  const answer = await create("group/api");
  expect(answer.status).toBe("stalled");
  expect(answer.text.length).toBeGreaterThan(0);
  expect(gitlab.pipelines).toHaveLength(1);
});

test("a per-project delay holds that project only", async () => {
  gitlab.delayProject("group/slow", 5000);
  let slowAnswered = false;
  const slow = create("group/slow").then((answer) => ((slowAnswered = true), answer));
  const fast = await create("group/fast");
  // Order, not duration: the other project's create is answered while the delayed one is still held.
  expect(fast.status).toBe(201);
  expect(slowAnswered).toBe(false);
  expect((await slow).status).toBe(201);
  expect(gitlab.pipelines).toHaveLength(2);
});
