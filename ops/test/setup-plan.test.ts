import { describe, expect, it } from "vitest";
import type { EnvironmentResources } from "../environments.ts";
import { missingResources, parseBucketList, parseQueueTable, withDatabaseId } from "../setup-plan.ts";

const wanted: EnvironmentResources = {
  workerName: "veza-edge-staging",
  database: { binding: "DB", name: "veza-staging", id: undefined },
  buckets: ["veza-media-staging"],
  queues: ["transcode-staging", "transcode-dlq-staging", "plays-staging", "plays-dlq-staging"],
};

describe("missingResources", () => {
  it("creates everything in an empty account", () => {
    expect(missingResources(wanted, { databases: [], buckets: [], queues: [] })).toEqual([
      { kind: "d1", name: "veza-staging" },
      { kind: "r2", name: "veza-media-staging" },
      { kind: "queue", name: "transcode-staging" },
      { kind: "queue", name: "transcode-dlq-staging" },
      { kind: "queue", name: "plays-staging" },
      { kind: "queue", name: "plays-dlq-staging" },
    ]);
  });

  it("creates nothing when everything exists, and only what is missing otherwise", () => {
    const all = {
      databases: [{ name: "veza-staging", uuid: "1" }],
      buckets: ["veza-media-staging", "other"],
      queues: [...wanted.queues],
    };
    expect(missingResources(wanted, all)).toEqual([]);
    expect(missingResources(wanted, { ...all, queues: ["transcode-staging", "plays-staging"] })).toEqual([
      { kind: "queue", name: "transcode-dlq-staging" },
      { kind: "queue", name: "plays-dlq-staging" },
    ]);
    // Another environment's resources with similar names do not count.
    expect(missingResources(wanted, { ...all, databases: [{ name: "veza-staging-old", uuid: "2" }] })).toEqual([
      { kind: "d1", name: "veza-staging" },
    ]);
  });
});

describe("wrangler output parsing", () => {
  it("reads bucket names from the labelled list", () => {
    const output = "Listing buckets...\nname:           veza-media-staging\ncreation_date:  2026-01-01\n\nname:  b2\n";
    expect(parseBucketList(output)).toEqual(["veza-media-staging", "b2"]);
  });

  it("reads queue names from the box table", () => {
    const output = [
      "┌──────┬───────────────────┬─────────┐",
      "│ id   │ name              │ created │",
      "├──────┼───────────────────┼─────────┤",
      "│ abc1 │ transcode-staging │ 2026    │",
      "└──────┴───────────────────┴─────────┘",
    ].join("\n");
    expect(parseQueueTable(output)).toContain("transcode-staging");
    expect(parseQueueTable(output)).not.toContain("plays-staging");
  });
});

describe("withDatabaseId", () => {
  const toml = [
    "[[d1_databases]]",
    'database_id = "local"',
    "",
    "[[env.staging.d1_databases]]",
    'binding = "DB"',
    'database_id = "00000000-0000-0000-0000-000000000000"',
    "",
    "[[env.production.d1_databases]]",
    'database_id = "00000000-0000-0000-0000-000000000000"',
  ].join("\n");

  it("changes only the named environment's id", () => {
    const result = withDatabaseId(toml, "staging", "1234");
    expect(result.split("\n")).toEqual(toml.split("\n").map((line, i) => (i === 5 ? 'database_id = "1234"' : line)));
  });

  it("refuses a file without that environment's database block", () => {
    expect(() => withDatabaseId("[[d1_databases]]\n", "staging", "1")).toThrow(/env\.staging\.d1_databases/);
    expect(() => withDatabaseId('[[env.staging.d1_databases]]\nbinding = "DB"\n[vars]\n', "staging", "1")).toThrow(
      /no database_id/,
    );
  });
});
