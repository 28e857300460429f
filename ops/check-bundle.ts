// `npm run check:bundle`: `wrangler deploy --dry-run` for every environment (no account needed), failing
// when the Worker does not build or its gzipped upload exceeds the Workers Paid limit (10 MiB; the
// README requires the Paid plan). The container image is not built here (--containers-rollout=none).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { deployEnvironments } from "./environments.ts";
import { repoRoot, wrangler } from "./wrangler-cli.ts";

export const WORKER_SIZE_LIMIT_BYTES = 10 * 1024 * 1024;

/** Gzipped size of the modules wrangler would upload (source maps and its README are not uploaded). */
function gzippedUploadBytes(outdir: string): number {
  let total = 0;
  for (const name of readdirSync(outdir, { recursive: true }) as string[]) {
    if (name.endsWith(".map") || name === "README.md") continue;
    const file = path.join(outdir, name);
    if (/\.(m?js|wasm|cjs)$/.test(name)) total += gzipSync(readFileSync(file)).length;
  }
  return total;
}

if (!existsSync(path.join(repoRoot, "web/dist/index.html"))) {
  console.error("web/dist is missing: run `npm run build:web` first (the Worker serves it as static assets).");
  process.exit(1);
}

const scratch = mkdtempSync(path.join(tmpdir(), "veza-dry-run-"));
let failed = false;
try {
  for (const env of deployEnvironments) {
    const outdir = path.join(scratch, env);
    const result = wrangler(["deploy", "--dry-run", "--containers-rollout=none", "--env", env, "--outdir", outdir]);
    if (result.status !== 0) {
      console.error(result.stdout + result.stderr);
      console.error(`${env}: the Worker does not build (wrangler deploy --dry-run --env ${env})`);
      failed = true;
      continue;
    }
    const bytes = gzippedUploadBytes(outdir);
    const share = ((bytes / WORKER_SIZE_LIMIT_BYTES) * 100).toFixed(1);
    const line = `${env}: Worker bundle ${(bytes / 1024).toFixed(1)} KiB gzipped, ${share}% of the 10 MiB Workers Paid limit`;
    if (bytes > WORKER_SIZE_LIMIT_BYTES) {
      console.error(`${line}: too large`);
      failed = true;
    } else console.log(line);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
