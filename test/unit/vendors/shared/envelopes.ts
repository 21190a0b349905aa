import { asRecord, type ErrorEnvelope } from "../../../../src/vendors/envelope.js";

/** CodeArts checks its envelope in its own adapter (queue codes are not errors); this one shows the words for the table. */
export const codeartsEnvelopeForTest: ErrorEnvelope = {
  vendor: "codearts",
  displayName: "CodeArts",
  errorOf(body) {
    const record = asRecord(body);
    return typeof record?.error_code === "string" ? { code: record.error_code, message: String(record.error_msg ?? "") } : undefined;
  },
};
