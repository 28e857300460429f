// Runs every benchmark in bench/ one after another (each prints its own figures and ratios).
// Usage: npm run bench [-- name ...]   e.g. npm run bench -- stream
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";

const all = ["catalog", "stream", "transcode", "chat", "playback", "bundle", "subsonic", "password-reset"];
const wanted = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
let failed = 0;
for (const name of wanted) {
  const script = path.join(import.meta.dirname, `${name}.ts`);
  if (!existsSync(script)) {
    console.error(`no benchmark named ${name} (have: ${all.join(", ")})`);
    failed++;
    continue;
  }
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(process.execPath, [script], { stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exit(failed > 0 ? 1 : 0);
