import { readFileSync } from "node:fs";
import path from "node:path";

/** One instruction of a Dockerfile: continuation lines joined, comments dropped. */
export interface Instruction {
  keyword: string;
  args: string;
}

export function parseDockerfile(text: string): Instruction[] {
  const logical: string[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!pending && (line === "" || line.startsWith("#"))) continue;
    if (line.startsWith("#")) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    logical.push(pending + line);
    pending = "";
  }
  if (pending.trim()) logical.push(pending);
  return logical.map((line) => {
    const [keyword, ...rest] = line.trim().split(/\s+/);
    return { keyword: (keyword ?? "").toUpperCase(), args: rest.join(" ") };
  });
}

/** An image reference is pinned by digest, or by a tag naming an exact x.y.z version. */
export function isPinnedImage(reference: string): boolean {
  if (/@sha256:[0-9a-f]{64}$/.test(reference)) return true;
  const tag = reference.split("/").at(-1)?.split(":")[1];
  return !!tag && /^v?\d+\.\d+\.\d+(?:[-._][\w.-]+)?$/.test(tag);
}

/** Local modules an ES module loads at run time (type-only imports are erased and need no file). */
export function runtimeImports(source: string): string[] {
  const found = new Set<string>();
  const pattern = /^\s*(?:import|export)\s+(?!type\s)(?:[^'"]*?\sfrom\s+)?["'](\.{1,2}\/[^"']+)["']/gm;
  for (const match of source.matchAll(pattern)) if (match[1]) found.add(match[1]);
  return [...found];
}

/** Every local file the entry module needs at run time, relative to `dir`, the entry included. */
export function moduleClosure(dir: string, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (relative: string) => {
    const normalized = path.posix.normalize(relative);
    if (seen.has(normalized)) return;
    seen.add(normalized);
    const source = readFileSync(path.join(dir, normalized), "utf8");
    for (const specifier of runtimeImports(source)) {
      visit(path.posix.join(path.posix.dirname(normalized), specifier));
    }
  };
  visit(entry);
  return [...seen].sort();
}

function copySources(instruction: Instruction): string[] {
  const parts = instruction.args.split(/\s+/).filter((part) => !part.startsWith("--"));
  return parts.slice(0, -1);
}

/**
 * The container image rules: base image pinned, a non-root user, a HEALTHCHECK, and COPY naming
 * exactly the files the entry module (`CMD ["node", "<entry>"]`) loads — no directories, globs or
 * tests. Returns what is wrong; empty when the Dockerfile passes.
 */
export function dockerfileProblems(text: string, contextDir: string): string[] {
  const problems: string[] = [];
  const instructions = parseDockerfile(text);
  const from = instructions.filter((i) => i.keyword === "FROM");
  if (from.length === 0) problems.push("no FROM instruction");
  for (const { args } of from) {
    const image = args.split(/\s+/).find((part) => !part.startsWith("--")) ?? "";
    if (!isPinnedImage(image))
      problems.push(`base image "${image}" is not pinned (use an exact x.y.z tag or @sha256 digest)`);
  }
  const user = instructions
    .filter((i) => i.keyword === "USER")
    .at(-1)
    ?.args.split(":")[0];
  if (!user) problems.push("no USER instruction: the process would run as root");
  else if (user === "root" || user === "0") problems.push(`USER ${user} runs the process as root`);
  const healthcheck = instructions.filter((i) => i.keyword === "HEALTHCHECK").at(-1);
  if (!healthcheck || /^none\b/i.test(healthcheck.args)) problems.push("no HEALTHCHECK");

  const copied: string[] = [];
  for (const instruction of instructions.filter((i) => i.keyword === "COPY" || i.keyword === "ADD")) {
    if (instruction.keyword === "ADD") problems.push(`use COPY, not ADD (${instruction.args})`);
    for (const source of copySources(instruction)) {
      if (/[*?[]/.test(source) || source === "." || source.endsWith("/")) {
        problems.push(`COPY ${source}: name each file the image needs, not a directory or a pattern`);
      } else copied.push(path.posix.normalize(source));
    }
  }
  const cmd = instructions.filter((i) => i.keyword === "CMD").at(-1);
  const entry = cmd?.args.match(/"node",\s*"([^"]+)"/)?.[1];
  if (!entry) {
    problems.push('no CMD ["node", "<entry>.ts"] to check the copied files against');
    return problems;
  }
  const needed = moduleClosure(contextDir, entry);
  for (const file of needed) if (!copied.includes(file)) problems.push(`${file} is loaded by ${entry} but not copied`);
  for (const file of copied) if (!needed.includes(file)) problems.push(`${file} is copied but ${entry} never loads it`);
  return problems;
}
