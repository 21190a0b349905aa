import type { VendorModule } from "../types.js";
import { createZadigAdapter } from "./adapter.js";
import { provisionZadig } from "./provision.js";
import { zadigConnection, zadigTarget, type ZadigConnection, type ZadigTarget } from "./schema.js";

export const zadig: VendorModule<ZadigConnection, ZadigTarget> = {
  id: "zadig",
  displayName: "Zadig",
  connectionSchema: zadigConnection,
  secretFields: ["token"],
  targetSchema: zadigTarget,
  create: createZadigAdapter,
  provision: provisionZadig,
};
