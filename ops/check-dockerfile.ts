// `npm run check:dockerfile`: the transcoder image's Dockerfile follows the rules in dockerfile-rules.ts.
import { readFileSync } from "node:fs";
import path from "node:path";
import { dockerfileProblems } from "./dockerfile-rules.ts";
import { repoRoot } from "./wrangler-cli.ts";

const dockerfile = path.join(repoRoot, "transcoder/Dockerfile");
const problems = dockerfileProblems(readFileSync(dockerfile, "utf8"), path.dirname(dockerfile));
if (problems.length > 0) {
  console.error(`transcoder/Dockerfile:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  process.exit(1);
}
console.log("transcoder/Dockerfile: base image pinned, non-root user, healthcheck, copies only what server.ts loads");
