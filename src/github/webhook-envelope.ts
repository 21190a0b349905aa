/**
 * What the ack needs of a delivery to store it: its action (to skip what no handler acts on), its installation and
 * its repository (the stored row's keys). The engine reads the rest when it handles the event.
 */
export interface Envelope {
  action: string | undefined;
  installationId: number | undefined;
  repoFullName: string | undefined;
}

/** Pure: the envelope of a parsed payload (top-level fields only). */
export function envelopeOf(payload: unknown): Envelope {
  const fields = (payload ?? {}) as { action?: unknown; installation?: { id?: unknown } | null; repository?: { full_name?: unknown } | null };
  return {
    action: typeof fields.action === "string" ? fields.action : undefined,
    installationId: typeof fields.installation?.id === "number" ? fields.installation.id : undefined,
    repoFullName: typeof fields.repository?.full_name === "string" ? fields.repository.full_name : undefined,
  };
}

/** The key that orders a repository's events: `owner/name`, or the installation for events without one. */
export function repoKeyOf(envelope: Envelope): string {
  return envelope.repoFullName ?? `installation:${envelope.installationId}`;
}

const OPEN_BRACE = "{";
const CLOSE_BRACE = "}";
const COMMA = ",";
const QUOTE = '"';
const ACTION_KEY = '"action":';
const INSTALLATION_KEY = '"installation":';
const REPOSITORY_KEY = '"repository":';

/**
 * Pure: the envelope read from the raw body without parsing it, or undefined whenever the reading is not certain
 * (the caller then parses the body). JSON.parse of a 17 KB push was a fifth of the ack's CPU, for three fields;
 * this reading takes two searches of the bytes. `withAction`: read the action too (one more search), for the
 * events whose action decides whether they are stored; without it `action` is undefined, not read.
 *
 * Why a search can be certain: in JSON text a `"` inside a string is always escaped (`\"`), so `"installation":`
 * with a `{` or `,` before it is a key, never part of a string. Each key must occur exactly once in the body (a
 * second one, nested or repeated, means undefined), in GitHub's compact form and field order; `action` is read only
 * as the first key (GitHub writes it first), so it is the top-level one. What the search cannot see is whether a
 * key is at the top level: the engine checks the parsed payload against the stored row before it acts
 * (`envelopeMismatch`), and a body that is not JSON at all is given up there with a clear error.
 */
export function readEnvelope(body: Buffer, withAction = false): Envelope | undefined {
  // One byte per character: the keys and the syntax around them are ASCII, which UTF-8 never uses inside a
  // multi-byte character, so positions in this text are positions in the bytes.
  const text = body.toString("latin1");
  if (text[0] !== OPEN_BRACE || text[text.length - 1] !== CLOSE_BRACE) return undefined;
  let action: string | undefined;
  if (withAction) {
    if (!text.startsWith(ACTION_KEY, 1) || text.indexOf(ACTION_KEY, 2) !== -1) return undefined;
    action = readPlainString(body, text, 1 + ACTION_KEY.length);
    if (action === undefined) return undefined;
  }
  const installation = onlyKey(text, INSTALLATION_KEY);
  if (installation === undefined) return undefined;
  const installationId = readLeadingId(text, installation)?.id;
  if (installationId === undefined) return undefined;
  const repository = onlyKey(text, REPOSITORY_KEY);
  if (repository === undefined) return undefined;
  const repoFullName = readFullName(body, text, repository);
  if (repoFullName === undefined) return undefined;
  return { action, installationId, repoFullName };
}

/** Where the value of the one `key` in the text starts; undefined when it occurs more than once, or not as a key. */
function onlyKey(text: string, key: string): number | undefined {
  const at = text.indexOf(key);
  if (at <= 0 || text.indexOf(key, at + key.length) !== -1) return undefined;
  const before = text[at - 1];
  return before === OPEN_BRACE || before === COMMA ? at + key.length : undefined;
}

/** `{"id":123,` or `{"id":123}` at `start`: 123, and where the `,` or `}` after it is. */
function readLeadingId(text: string, start: number): { id: number; end: number } | undefined {
  const prefix = '{"id":';
  if (!text.startsWith(prefix, start)) return undefined;
  const digits = /^\d{1,15}(?=[,}])/.exec(text.slice(start + prefix.length, start + prefix.length + 16))?.[0];
  return digits === undefined ? undefined : { id: Number(digits), end: start + prefix.length + digits.length };
}

/** GitHub's repository object begins `{"id":1,"node_id":"…","name":"…","full_name":"owner/name"`. */
function readFullName(body: Buffer, text: string, start: number): string | undefined {
  let at = readLeadingId(text, start)?.end;
  if (at === undefined) return undefined;
  for (const key of ['"node_id":', '"name":']) {
    if (text[at] !== COMMA || !text.startsWith(key, at + 1)) return undefined;
    const end = endOfPlainString(text, at + 1 + key.length);
    if (end === undefined) return undefined;
    at = end + 1;
  }
  const key = '"full_name":';
  if (text[at] !== COMMA || !text.startsWith(key, at + 1)) return undefined;
  return readPlainString(body, text, at + 1 + key.length);
}

/** A string value without escapes at `start` (its opening quote), decoded from the bytes as UTF-8; or undefined. */
function readPlainString(body: Buffer, text: string, start: number): string | undefined {
  const end = endOfPlainString(text, start);
  return end === undefined ? undefined : body.toString("utf8", start + 1, end);
}

/** The index of the closing quote of the escape-free string that opens at `start`. */
function endOfPlainString(text: string, start: number): number | undefined {
  if (text[start] !== QUOTE) return undefined;
  const end = text.indexOf(QUOTE, start + 1);
  if (end === -1 || text.slice(start + 1, end).includes("\\")) return undefined;
  return end;
}

/**
 * Pure: why a stored event's parsed payload disagrees with the keys its row was stored under (only a signed body
 * whose keys the search misread could do that), or undefined when they agree.
 */
export function envelopeMismatch(payload: unknown, stored: { installationId: number; repoKey: string }): string | undefined {
  const envelope = envelopeOf(payload);
  if (envelope.installationId !== stored.installationId) return "its installation is not the one it was stored under";
  if (repoKeyOf(envelope) !== stored.repoKey) return "its repository is not the one it was stored under";
  return undefined;
}
