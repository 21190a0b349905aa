import { envelopeMismatch, envelopeOf, readEnvelope } from "../../../src/github/webhook-envelope.js";
import { SUBSCRIBED_EVENTS, worthStoring } from "../../../src/github/webhook-intake.js";
import { allWebhookExamples, pushPayload } from "../../helpers/webhooks.js";

const read = (text: string, withAction = true) => readEnvelope(Buffer.from(text, "utf8"), withAction);
const push = () => JSON.stringify(pushPayload());

describe("readEnvelope: the ack's keys read from the raw body", () => {
  const all = allWebhookExamples();

  it("reads what parsing gives, or nothing, for every example payload of every event, with and without the action", () => {
    expect(all.length).toBeGreaterThan(300);
    const wrong: string[] = [];
    let readings = 0;
    for (const [label, , payload] of all) {
      const parsed = envelopeOf(payload);
      for (const [withAction, expected] of [[true, parsed], [false, { ...parsed, action: undefined }]] as const) {
        const envelope = read(JSON.stringify(payload), withAction);
        if (envelope === undefined) continue;
        readings += 1;
        if (JSON.stringify(envelope) !== JSON.stringify(expected)) wrong.push(`${label} (action ${withAction ? "read" : "not read"})`);
      }
    }
    expect(wrong).toEqual([]);
    // A reader that never reads would pass the check above: most examples with both keys are read.
    const withKeys = all.filter(([, , payload]) => envelopeOf(payload).installationId !== undefined && envelopeOf(payload).repoFullName !== undefined);
    expect(readings).toBeGreaterThan(withKeys.length);
  });

  it("reads every example of the events the relay stores that has an installation and a repository, without parsing", () => {
    const stored = all.filter(([, name, payload]) => {
      const envelope = envelopeOf(payload);
      return (SUBSCRIBED_EVENTS as readonly string[]).includes(name) && envelope.installationId !== undefined && envelope.repoFullName !== undefined;
    });
    expect(stored.length).toBeGreaterThan(20);
    // As the fast path asks: the action only where it decides whether the event is stored.
    const unread = stored.filter(([, name, payload]) => read(JSON.stringify(payload), !worthStoring(name, undefined)) === undefined).map(([label]) => label);
    expect(unread).toEqual([]);
  });

  it("reads a push with UTF-8 in its repository name", () => {
    const payload = pushPayload();
    payload.repository.full_name = "acme/größe-✓";
    expect(read(JSON.stringify(payload), false)).toEqual({ action: undefined, installationId: 1, repoFullName: "acme/größe-✓" });
  });

  const installation = '"installation":{"id":1,"node_id":"MDIz"}';
  const repository = '"repository":{"id":7,"node_id":"R_1","name":"hello","full_name":"acme/hello","private":false}';
  it.each<[string, string]>([
    ["a second installation key, nested", push().replace('"commits":[', '"commits":[{"installation":{"id":2}},')],
    ["the installation key twice (JSON.parse keeps the last)", `{${installation},${repository},"installation":{"id":2}}`],
    ["a second repository key", push().replace('"commits":[', `"commits":[{${repository}},`)],
    ["an installation id that is a string", `{"installation":{"id":"1"},${repository}}`],
    ["an installation id over 15 digits", `{"installation":{"id":1234567890123456},${repository}}`],
    ["an installation whose first field is not id", `{"installation":{"node_id":"x","id":1},${repository}}`],
    ["a repository whose fields come in another order", `{${installation},"repository":{"id":7,"name":"hello","node_id":"R_1","full_name":"acme/hello"}}`],
    ["an escaped quote in the full name", `{${installation},"repository":{"id":7,"node_id":"R_1","name":"h","full_name":"acme/he\\"llo"}}`],
    ["an id object closed before the next key", `{${installation},"repository":{"id":7},"node_id":"R_1","name":"h","full_name":"acme/x"}`],
    ["pretty-printed JSON", JSON.stringify(pushPayload(), null, 2)],
    ["an action that is not the first key", `{${installation},"action":"created",${repository}}`],
    ["the action key twice", `{"action":"created",${installation},${repository},"action":"deleted"}`],
    ["an action with an escape", `{"action":"cre\\u0061ted",${installation},${repository}}`],
    ["a body cut short", push().slice(0, push().lastIndexOf(",") + 1)],
    ["a JSON array", `[{${installation},${repository}}]`],
    ["a key that only ends in installation", `{"x\\"installation":{"id":1},${repository}}`],
    ["no repository", `{${installation}}`],
  ])("is not certain with %s", (_case, text) => {
    expect(read(text)).toBeUndefined();
  });

  it("reads the action only as the first key, and only when asked to", () => {
    const body = `{"action":"created",${installation},${repository}}`;
    expect(read(body)).toEqual({ action: "created", installationId: 1, repoFullName: "acme/hello" });
    expect(read(body, false)).toEqual({ action: undefined, installationId: 1, repoFullName: "acme/hello" });
    expect(read(`{${installation},${repository}}`)).toBeUndefined();
    expect(read(`{${installation},${repository}}`, false)).toEqual({ action: undefined, installationId: 1, repoFullName: "acme/hello" });
  });
});

describe("envelopeMismatch: the engine's check of a stored event against its parsed payload", () => {
  const payload = { installation: { id: 1 }, repository: { full_name: "acme/hello" } };
  it.each<[string, unknown, { installationId: number; repoKey: string }, string | undefined]>([
    ["the same keys", payload, { installationId: 1, repoKey: "acme/hello" }, undefined],
    ["no repository: keyed by installation", { installation: { id: 1 } }, { installationId: 1, repoKey: "installation:1" }, undefined],
    ["another installation", payload, { installationId: 2, repoKey: "acme/hello" }, "its installation is not the one it was stored under"],
    ["no top-level installation", { repository: payload.repository }, { installationId: 1, repoKey: "acme/hello" }, "its installation is not the one it was stored under"],
    ["another repository", payload, { installationId: 1, repoKey: "acme/other" }, "its repository is not the one it was stored under"],
  ])("%s", (_case, parsed, stored, expected) => {
    expect(envelopeMismatch(parsed, stored)).toBe(expected);
  });
});
