// `npm run push:keys`: a fresh Web Push (VAPID) key pair and the commands that install it.
// `node ops/push-keys.ts --dev-vars` (run by `npm start`/`npm run dev`): writes a development pair into
// .dev.vars when its VAPID keys are missing or still the placeholders copied from .dev.vars.example.
// Changing the pair of a deployment makes every browser subscribe again (push services bind a
// subscription to the public key it was made with); the app does that on its next visit.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateP256KeyPair } from "../workers/notifications/push/p256.ts";

const root = path.resolve(import.meta.dirname, "..");
const devVarsPath = path.join(root, ".dev.vars");
const NAMES = ["VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY"] as const;

/** The NAME=value lines of a .dev.vars file. */
function readVars(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const line of text.split("\n")) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line);
    if (match?.[1]) vars.set(match[1], match[2] ?? "");
  }
  return vars;
}

const isPlaceholder = (value: string | undefined) => !value || value.startsWith("dev-only-");

async function ensureDevVars(): Promise<void> {
  const text = existsSync(devVarsPath) ? readFileSync(devVarsPath, "utf8") : "";
  const vars = readVars(text);
  if (NAMES.every((name) => !isPlaceholder(vars.get(name)))) return;
  const pair = await generateP256KeyPair();
  const values = { VAPID_PUBLIC_KEY: pair.publicKey, VAPID_PRIVATE_KEY: pair.privateKey };
  let next = text;
  for (const name of NAMES) {
    const line = `${name}=${values[name]}`;
    next = vars.has(name)
      ? next.replace(new RegExp(`^${name}=.*$`, "m"), line)
      : `${next}${next === "" || next.endsWith("\n") ? "" : "\n"}${line}\n`;
  }
  writeFileSync(devVarsPath, next);
  console.log("push-keys: wrote a development VAPID key pair into .dev.vars");
}

async function printNewPair(): Promise<void> {
  const pair = await generateP256KeyPair();
  console.log(`VAPID_PUBLIC_KEY=${pair.publicKey}`);
  console.log(`VAPID_PRIVATE_KEY=${pair.privateKey}`);
  console.log("\nInstall them in an environment (each command reads the value from stdin):");
  console.log(`  echo ${pair.publicKey} | npx wrangler secret put VAPID_PUBLIC_KEY --env production`);
  console.log("  npx wrangler secret put VAPID_PRIVATE_KEY --env production   # paste the private key");
  console.log("Set VAPID_SUBJECT in wrangler.toml to a mailto: or https: contact for the push services.");
}

await (process.argv.includes("--dev-vars") ? ensureDevVars() : printNewPair());
