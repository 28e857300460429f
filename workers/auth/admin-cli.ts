// Operator commands run from a shell against local or remote D1 (through wrangler):
//   npm run admin -- promote <username> [--remote]
//   npm run admin -- demote <username> [--remote]
import { execFileSync } from "node:child_process";

const [command, username, ...flags] = process.argv.slice(2);
const target = flags.includes("--remote") ? "--remote" : "--local";
const roles: Record<string, string> = { promote: "admin", demote: "listener" };

if (!command || !(command in roles) || !username) {
  console.error("usage: npm run admin -- promote|demote <username> [--remote]");
  process.exit(2);
}
if (!/^[a-z0-9_]{3,30}$/.test(username.toLowerCase())) {
  console.error(`not a valid username: ${username}`);
  process.exit(2);
}

const sql = `UPDATE users SET role = '${roles[command]}', updated_at = unixepoch('subsec') * 1000 WHERE username = '${username.toLowerCase()}' RETURNING username, role;`;
const output = execFileSync(
  process.execPath,
  ["node_modules/wrangler/bin/wrangler.js", "d1", "execute", "DB", target, "--json", "--command", sql],
  { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
);
const rows = (JSON.parse(output) as { results: { username: string; role: string }[] }[])[0]?.results ?? [];
if (rows.length === 0) {
  console.error(`no user named ${username}`);
  process.exit(1);
}
console.log(`${rows[0]?.username} is now ${rows[0]?.role}.`);
