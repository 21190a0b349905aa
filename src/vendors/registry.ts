import { gitlab } from "./gitlab/index.js";
import { yunxiao } from "./yunxiao/index.js";
import { codearts } from "./codearts/index.js";
import { zadig } from "./zadig/index.js";
// vendor imports (one line per vendor)
import type { VendorModule } from "./types.js";

const MODULES: ReadonlyArray<VendorModule<any, any>> = [
  gitlab,
  yunxiao,
  codearts,
  zadig,
  // vendor modules (one line per vendor)
];

/** Every vendor pipeline-relay speaks, by the id used in `vendor:` and in the pipeline's vendor block. */
export const VENDORS: Readonly<Record<string, VendorModule<any, any>>> = Object.fromEntries(MODULES.map((vendor) => [vendor.id, vendor]));

export const VENDOR_IDS = Object.keys(VENDORS);

export function getVendor(id: string): VendorModule<any, any> {
  const vendor = Object.hasOwn(VENDORS, id) ? VENDORS[id] : undefined;
  if (!vendor) throw new Error(`Unknown vendor "${id}". Must be one of: ${VENDOR_IDS.join(", ")}`);
  return vendor;
}
