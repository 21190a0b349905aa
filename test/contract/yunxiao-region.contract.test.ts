import { describeAdapterContract } from "./vendor-adapter.contract.js";
import { yunxiaoHarness } from "./yunxiao-harness.js";

describeAdapterContract("yunxiao (region edition)", yunxiaoHarness("region"));
