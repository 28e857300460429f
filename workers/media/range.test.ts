import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ifRangeAllows, noneMatchHits } from "./conditional.ts";
import { parseRange } from "./range.ts";

describe("parseRange (RFC 9110 §14)", () => {
  const size = 1000;
  const table: Array<[string | null, ReturnType<typeof parseRange>]> = [
    [null, { kind: "full" }],
    ["bytes=0-499", { kind: "partial", start: 0, end: 499 }],
    ["bytes=500-", { kind: "partial", start: 500, end: 999 }],
    ["bytes=-200", { kind: "partial", start: 800, end: 999 }],
    ["bytes=-5000", { kind: "partial", start: 0, end: 999 }],
    ["bytes=900-5000", { kind: "partial", start: 900, end: 999 }],
    ["BYTES = 1-2", { kind: "partial", start: 1, end: 2 }],
    ["bytes=1-2,", { kind: "partial", start: 1, end: 2 }],
    ["bytes=1000-", { kind: "unsatisfiable" }],
    ["bytes=1000-1001", { kind: "unsatisfiable" }],
    ["bytes=-0", { kind: "unsatisfiable" }],
    ["bytes=99999999999999999999999-", { kind: "unsatisfiable" }],
    ["bytes=0-1,3-4", { kind: "full" }],
    ["bytes=5-4", { kind: "full" }],
    ["bytes=-", { kind: "full" }],
    ["bytes=1.5-2", { kind: "full" }],
    ["bytes=+1-2", { kind: "full" }],
    ["bits=0-1", { kind: "full" }],
    ["bytes", { kind: "full" }],
    ["", { kind: "full" }],
  ];
  for (const [header, expected] of table) {
    it(`${JSON.stringify(header)} → ${expected.kind}`, () => expect(parseRange(header, size)).toEqual(expected));
  }

  it("never satisfies a range of an empty file", () => {
    expect(parseRange("bytes=0-", 0)).toEqual({ kind: "unsatisfiable" });
    expect(parseRange("bytes=-1", 0)).toEqual({ kind: "unsatisfiable" });
  });

  const sizes = fc.nat({ max: 2 ** 40 });
  const inside = (decision: ReturnType<typeof parseRange>, objectSize: number) =>
    decision.kind !== "partial" ||
    (Number.isSafeInteger(decision.start) &&
      Number.isSafeInteger(decision.end) &&
      decision.start >= 0 &&
      decision.start <= decision.end &&
      decision.end < objectSize);

  it("turns any string into a range inside the object or a rejection, never throwing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), sizes, (header, objectSize) => {
        const decision = parseRange(header, objectSize);
        expect(["full", "partial", "unsatisfiable"]).toContain(decision.kind);
        expect(inside(decision, objectSize)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  const number = fc.oneof(fc.nat({ max: 5000 }), fc.bigInt({ min: 0n, max: 10n ** 30n }).map(String));
  const spec = fc.oneof(
    fc.tuple(number, number).map(([a, b]) => `${a}-${b}`),
    number.map((a) => `${a}-`),
    number.map((n) => `-${n}`),
  );
  const headers = fc
    .tuple(fc.constantFrom("bytes", "Bytes", " bytes "), fc.array(spec, { minLength: 1, maxLength: 3 }))
    .map(([unit, specs]) => `${unit}=${specs.join(", ")}`);

  it("keeps well-formed headers inside the object, and resolves single ranges exactly", () => {
    fc.assert(
      fc.property(headers, fc.nat({ max: 6000 }), (header, objectSize) => {
        const decision = parseRange(header, objectSize);
        expect(inside(decision, objectSize)).toBe(true);
        if (header.includes(",")) expect(decision.kind).toBe("full");
        if (decision.kind === "partial" && /=\s*(\d+)-(\d+)$/.test(header)) {
          const [, a, b] = /=\s*(\d+)-(\d+)$/.exec(header)!;
          expect(decision.start).toBe(Number(a));
          expect(decision.end).toBe(Math.min(Number(b), objectSize - 1));
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("validators", () => {
  const etag = '"abc123"';
  it("If-None-Match compares weakly, across lists, and matches *", () => {
    expect(noneMatchHits(etag, etag)).toBe(true);
    expect(noneMatchHits(`W/${etag}`, etag)).toBe(true);
    expect(noneMatchHits(`"x", ${etag}`, etag)).toBe(true);
    expect(noneMatchHits("*", etag)).toBe(true);
    expect(noneMatchHits('"x"', etag)).toBe(false);
    expect(noneMatchHits(null, etag)).toBe(false);
  });

  it("If-Range needs a strong match of the ETag or the exact Last-Modified date", () => {
    const lastModified = "Wed, 25 Nov 2026 10:00:00 GMT";
    expect(ifRangeAllows(null, etag, lastModified)).toBe(true);
    expect(ifRangeAllows(etag, etag, lastModified)).toBe(true);
    expect(ifRangeAllows(`W/${etag}`, etag, lastModified)).toBe(false);
    expect(ifRangeAllows('"old"', etag, lastModified)).toBe(false);
    expect(ifRangeAllows(lastModified, etag, lastModified)).toBe(true);
    expect(ifRangeAllows("Tue, 24 Nov 2026 10:00:00 GMT", etag, lastModified)).toBe(false);
  });
});
