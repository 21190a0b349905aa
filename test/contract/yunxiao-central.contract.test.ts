import { describeAdapterContract } from "./vendor-adapter.contract.js";
import { yunxiaoHarness } from "./yunxiao-harness.js";

describeAdapterContract("yunxiao (central edition)", yunxiaoHarness("central"));
