// `npm run deploy -- --env <staging|production>`: builds the web app, applies the D1 migrations to the
// environment's remote database, then deploys the Worker and the transcoder container (wrangler builds
// the image from transcoder/Dockerfile, so Docker must be running).
import { spawnSync } from "node:child_process";
import { environmentFromArgs, environmentResources } from "./environments.ts";
import { isPlaceholderId } from "./setup-plan.ts";
import { repoRoot, wranglerOrExit } from "./wrangler-cli.ts";

const env = environmentFromArgs(process.argv.slice(2), "deploy");
const { database, workerName } = environmentResources(env);
if (isPlaceholderId(database.id)) {
  console.error(`wrangler.toml has no database id for ${database.name}: run npm run cf:setup -- --env ${env} first.`);
  process.exit(1);
}

console.log(`deploy ${env} (${workerName}): 1/3 build the web app`);
const build = spawnSync(
  process.execPath,
  ["node_modules/vite/bin/vite.js", "build", "--config", "web/vite.config.ts"],
  {
    cwd: repoRoot,
    stdio: "inherit",
  },
);
if (build.status !== 0) process.exit(build.status ?? 1);

console.log(`deploy ${env}: 2/3 apply D1 migrations to ${database.name} (remote)`);
wranglerOrExit(["d1", "migrations", "apply", database.binding, "--remote", "--env", env], { inherit: true });

console.log(`deploy ${env}: 3/3 deploy the Worker and the transcoder container`);
wranglerOrExit(["deploy", "--env", env], { inherit: true });
console.log(`Deployed ${workerName}. Undo with: npx wrangler rollback --env ${env}`);
