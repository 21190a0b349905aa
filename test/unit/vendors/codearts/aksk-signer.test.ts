import { sdkDate, sign } from "../../../../src/vendors/codearts/aksk-signer.js";

/** The example key pair of Huawei's API Request Signing Guide. */
const GUIDE_KEYS = { accessKey: "QTWAOYTTINDUT2QVKYUC", secretKey: "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc" };
const RUN_URL = "https://cloudpipeline-ext.cn-north-4.myhuaweicloud.com/v5/93d8e0553c20411fba06bb112b5b59af/api/pipelines/794514e0a3184e5db0a4740112deee0f";
const AT = new Date("2024-06-01T10:00:00Z");

describe("SDK-HMAC-SHA256 signer", () => {
  it("reproduces the signing guide's worked example (GET VPC list, X-Sdk-Date 20191115T033655Z)", () => {
    const signed = sign(
      {
        method: "GET",
        url: new URL("https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0"),
        headers: { "Content-Type": "application/json" },
        body: "",
      },
      GUIDE_KEYS,
      new Date("2019-11-15T03:36:55Z"),
    );
    expect(signed.canonicalRequest).toBe(
      [
        "GET",
        "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/",
        "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
        "content-type:application/json",
        "host:service.region.example.com",
        "x-sdk-date:20191115T033655Z",
        "",
        "content-type;host;x-sdk-date",
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
      ].join("\n"),
    );
    expect(signed.date).toBe("20191115T033655Z");
    expect(signed.authorization).toBe(
      "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe",
    );
  });

  // Expected signatures computed with AKSKSigner.sign of @huaweicloud/huaweicloud-sdk-core 3.1.211 (Huawei's
  // Node SDK) for the same method, URL, query, headers, body and X-Sdk-Date.
  it("matches Huawei's Node SDK for a POST with a JSON body (a pipeline start)", () => {
    const body = JSON.stringify({
      sources: [{ type: "code", params: { git_type: "github", git_url: "https://github.com/acme/app.git", build_params: { build_type: "branch", target_branch: "main", event_type: "Manual" } } }],
      description: "GitHub acme/app@1234567 via pipeline-relay",
      variables: [{ name: "RELAY_SHA", value: "x y/ü" }],
    });
    const signed = sign({ method: "POST", url: new URL(`${RUN_URL}/run`), headers: { "content-type": "application/json" }, body }, GUIDE_KEYS, AT);
    expect(signed.authorization).toBe(
      "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, Signature=cc5ea6da92df8b7d076ef98df42bcdf57596f6312f7399860136acb8b75c359f",
    );
  });

  it("matches Huawei's Node SDK for a GET whose query needs encoding and sorting", () => {
    const url = new URL(`${RUN_URL}/pipeline-runs/detail`);
    url.searchParams.set("pipeline_run_id", "de6c9098f45a4ac58a6efc9c1b81df82");
    url.searchParams.set("a b", "ü~*");
    const signed = sign({ method: "GET", url, headers: {}, body: "" }, GUIDE_KEYS, AT);
    expect(signed.canonicalRequest.split("\n").slice(1, 3)).toEqual([
      "/v5/93d8e0553c20411fba06bb112b5b59af/api/pipelines/794514e0a3184e5db0a4740112deee0f/pipeline-runs/detail/",
      "a%20b=%C3%BC~%2A&pipeline_run_id=de6c9098f45a4ac58a6efc9c1b81df82",
    ]);
    expect(signed.authorization).toBe(
      "SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=host;x-sdk-date, Signature=ad0b73e7486efcfdcf7ee544b297ea9b507e48220eb827be8cc207243013ba83",
    );
  });

  it("formats X-Sdk-Date as YYYYMMDDTHHMMSSZ in UTC", () => {
    expect(sdkDate(new Date("2024-01-02T03:04:05.678Z"))).toBe("20240102T030405Z");
  });

  it("signs a different body, date or key differently", () => {
    const request = { method: "POST", url: new URL(`${RUN_URL}/run`), headers: {}, body: "{}" };
    const base = sign(request, GUIDE_KEYS, AT).authorization;
    expect(sign({ ...request, body: "{ }" }, GUIDE_KEYS, AT).authorization).not.toBe(base);
    expect(sign(request, GUIDE_KEYS, new Date(AT.getTime() + 1000)).authorization).not.toBe(base);
    expect(sign(request, { ...GUIDE_KEYS, secretKey: "other" }, AT).authorization).not.toBe(base);
  });
});
