import { describe, expect, it } from "vitest";
import { queryKeys } from "./query-keys.ts";

describe("queryKeys", () => {
  it("keys the same resource differently for each viewer, under one prefix per viewer", () => {
    const anonymous = queryKeys("anonymous");
    const ada = queryKeys("u_ada");
    expect(anonymous.track("t1")).not.toEqual(ada.track("t1"));
    expect(ada.track("t1").slice(0, 2)).toEqual([...ada.all]);
    expect(ada.profile("lee").slice(0, 2)).toEqual([...ada.all]);
  });
});
