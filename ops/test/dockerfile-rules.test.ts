import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { dockerfileProblems, isPinnedImage, runtimeImports } from "../dockerfile-rules.ts";

const transcoderDir = path.resolve(import.meta.dirname, "../../transcoder");

describe("dockerfileProblems", () => {
  it("passes the transcoder's Dockerfile", () => {
    expect(dockerfileProblems(readFileSync(path.join(transcoderDir, "Dockerfile"), "utf8"), transcoderDir)).toEqual([]);
  });

  const context = mkdtempSync(path.join(tmpdir(), "veza-dockerfile-"));
  writeFileSync(path.join(context, "server.ts"), 'import { a } from "./a.ts";\nimport type { T } from "./types.ts";\n');
  writeFileSync(path.join(context, "a.ts"), "export const a = 1;\n");
  writeFileSync(path.join(context, "types.ts"), "export type T = 1;\n");
  const good = [
    "FROM node:22.23.3-slim",
    "COPY server.ts a.ts ./",
    "USER node",
    'HEALTHCHECK CMD ["node", "-e", "1"]',
    'CMD ["node", "server.ts"]',
  ];
  const problems = (lines: string[]) => dockerfileProblems(lines.join("\n"), context);

  it("accepts a Dockerfile that follows every rule", () => {
    expect(problems(good)).toEqual([]);
  });

  it("names each broken rule", () => {
    expect(problems(good.map((l) => l.replace("22.23.3-slim", "22-slim")))).toEqual([
      'base image "node:22-slim" is not pinned (use an exact x.y.z tag or @sha256 digest)',
    ]);
    expect(problems(good.filter((l) => !l.startsWith("USER")))).toEqual([
      "no USER instruction: the process would run as root",
    ]);
    expect(problems(good.map((l) => l.replace("USER node", "USER root")))).toEqual([
      "USER root runs the process as root",
    ]);
    expect(problems(good.filter((l) => !l.startsWith("HEALTHCHECK")))).toEqual(["no HEALTHCHECK"]);
    expect(problems(good.map((l) => l.replace("COPY server.ts a.ts", "COPY . ")))).toContain(
      "COPY .: name each file the image needs, not a directory or a pattern",
    );
    expect(problems(good.map((l) => l.replace("a.ts ./", "./")))).toEqual([
      "a.ts is loaded by server.ts but not copied",
    ]);
    expect(problems(good.map((l) => l.replace("a.ts ./", "a.ts types.ts ./")))).toEqual([
      "types.ts is copied but server.ts never loads it",
    ]);
  });
});

describe("image pins and imports", () => {
  it("accepts exact versions and digests only", () => {
    expect(isPinnedImage("node:22.23.3-bookworm-slim")).toBe(true);
    expect(isPinnedImage(`node@sha256:${"a".repeat(64)}`)).toBe(true);
    expect(isPinnedImage("node:22-bookworm-slim")).toBe(false);
    expect(isPinnedImage("node:latest")).toBe(false);
    expect(isPinnedImage("node")).toBe(false);
  });

  it("keeps value imports and re-exports, drops type-only imports and packages", () => {
    const source = [
      'import { x } from "./x.ts";',
      'import type { Y } from "./y.ts";',
      'export { z } from "../z.ts";',
      'import "./side-effect.ts";',
      'import { readFile } from "node:fs";',
    ].join("\n");
    expect(runtimeImports(source)).toEqual(["./x.ts", "../z.ts", "./side-effect.ts"]);
  });
});
