import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { recordSection } from "../results-file.ts";

let file: string;
beforeEach(() => {
  file = path.join(mkdtempSync(path.join(tmpdir(), "veza-results-")), "RESULTS.md");
  process.env.BENCH_RESULTS_FILE = file;
});
afterEach(() => {
  delete process.env.BENCH_RESULTS_FILE;
});

describe("recordSection", () => {
  it("starts the file with its title and adds a missing section at the end", () => {
    recordSection("## Chat", "chat figures\n");
    recordSection("## Soak", "soak figures");
    expect(readFileSync(file, "utf8")).toBe(
      "# Benchmark results\n\n## Chat\n\nchat figures\n\n## Soak\n\nsoak figures\n",
    );
  });

  it("replaces only its own section, in place, keeping its neighbours and their ### entries", () => {
    writeFileSync(file, "# Benchmark results\n\n## A\n\nold a\n\n### kept\n\nx\n\n## B\n\nold b\n\n## C\n\nc\n");
    recordSection("## B", "new b");
    recordSection("## A", "new a");
    expect(readFileSync(file, "utf8")).toBe("# Benchmark results\n\n## A\n\nnew a\n\n## B\n\nnew b\n\n## C\n\nc\n");
  });

  it("appends to a section that keeps its history, before the next section", () => {
    writeFileSync(file, "# Benchmark results\n\n## T\n\n### run 1\n\none\n\n## U\n\nu\n");
    recordSection("## T", "### run 2\n\ntwo", { append: true });
    recordSection("## U", "### u2", { append: true });
    expect(readFileSync(file, "utf8")).toBe(
      "# Benchmark results\n\n## T\n\n### run 1\n\none\n\n### run 2\n\ntwo\n\n## U\n\nu\n\n### u2\n",
    );
  });

  it("does not take a longer heading for its own", () => {
    writeFileSync(file, "# Benchmark results\n\n## Chat room\n\nkeep\n");
    recordSection("## Chat", "mine");
    expect(readFileSync(file, "utf8")).toBe("# Benchmark results\n\n## Chat room\n\nkeep\n\n## Chat\n\nmine\n");
  });
});
