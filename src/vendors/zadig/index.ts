import type { VendorModule } from "../types.js";
import { createZadigAdapter } from "./adapter.js";
import { zadigCallbacks } from "./callback.js";
import { provisionZadig } from "./provision.js";
import { zadigConnection, zadigTarget, type ZadigConnection, type ZadigTarget } from "./schema.js";

export const zadig: VendorModule<ZadigConnection, ZadigTarget> = {
  id: "zadig",
  displayName: "Zadig",
  connectionSchema: zadigConnection,
  secretFields: ["token", "callback_token"],
  targetSchema: zadigTarget,
  create: createZadigAdapter,
  provision: provisionZadig,
  callbacks: zadigCallbacks,
  validateConnection: (connection) =>
    connection.callback_token !== undefined && connection.api !== "openapi"
      ? [`callback_token needs api: openapi (only custom workflows can send a Webhook notification; this connection uses api: ${connection.api})`]
      : [],
};
