import type { VendorModule } from "../types.js";
import { createYunxiaoAdapter } from "./adapter.js";
import { resolveConnection } from "./connection.js";
import { yunxiaoConnection, yunxiaoTarget, type YunxiaoConnection, type YunxiaoTarget } from "./schema.js";

export const yunxiao: VendorModule<YunxiaoConnection, YunxiaoTarget> = {
  id: "yunxiao",
  displayName: "Yunxiao Flow",
  connectionSchema: yunxiaoConnection,
  secretFields: ["token"],
  targetSchema: yunxiaoTarget,
  validateConnection: (connection) => {
    const resolved = resolveConnection(connection);
    return resolved.ok ? [] : resolved.problems;
  },
  create: createYunxiaoAdapter,
};
