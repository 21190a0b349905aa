/** The body grew past the limit; the stream was cancelled. */
export class BodyTooLargeError extends Error {
  constructor(readonly limitBytes: number) {
    super(`response body larger than ${limitBytes} bytes`);
    this.name = "BodyTooLargeError";
  }
}

/**
 * Reads a response body as UTF-8 text chunk by chunk, so the caller's abort signal (the call's
 * deadline) keeps counting while the body arrives and a huge body is refused before it fills memory.
 * `overflow: "truncate"` keeps the first `limitBytes` (for error bodies shown to people) instead of failing.
 */
export async function readBodyText(response: Response, limitBytes: number, overflow: "fail" | "truncate" = "fail"): Promise<string> {
  const declared = Number(response.headers.get("content-length"));
  if (overflow === "fail" && Number.isFinite(declared) && declared > limitBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new BodyTooLargeError(limitBytes);
  }
  if (!response.body) return "";
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let received = 0;
  let text = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limitBytes) {
      await reader.cancel().catch(() => undefined);
      if (overflow === "fail") throw new BodyTooLargeError(limitBytes);
      const keep = value.byteLength - (received - limitBytes);
      return text + decoder.decode(value.subarray(0, keep));
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}
