// Operator commands run from a shell against local or remote D1 (through wrangler):
//   npm run admin -- promote <username> [--env staging|production]
//   npm run admin -- demote <username> [--env staging|production]
// Without --env it changes the local development database.
import { execFileSync } from "node:child_process";

const [command, username, ...flags] = process.argv.slice(2);
const envIndex = flags.indexOf("--env");
const environment = envIndex >= 0 ? flags[envIndex + 1] : undefined;
const target = environment ? ["--remote", "--env", environment] : ["--local"];
const roles: Record<string, string> = { promote: "admin", demote: "listener" };

if (!command || !(command in roles) || !username || (envIndex >= 0 && !environment)) {
  console.error("usage: npm run admin -- promote|demote <username> [--env staging|production]");
  process.exit(2);
}
if (!/^[a-z0-9_]{3,30}$/.test(username.toLowerCase())) {
  console.error(`not a valid username: ${username}`);
  process.exit(2);
}

const name = username.toLowerCase();
const role = roles[command];
// The last active admin keeps the role (the same rule as POST /admin/users/:username/role), and
// the change is recorded in the audit log with "cli" as the actor.
const sql = `UPDATE users SET role = '${role}', updated_at = unixepoch('subsec') * 1000
  WHERE username = '${name}' AND ('${role}' = 'admin' OR role != 'admin' OR
    (SELECT COUNT(*) FROM users AS other WHERE other.role = 'admin' AND other.status = 'active' AND other.username != '${name}') > 0);
INSERT INTO audit_log (id, actor_id, action, target_type, target_id, reason, details, created_at)
  SELECT lower(hex(randomblob(13))), 'cli', 'user.role', 'user', id, 'operator command: ${command}',
    json_object('username', username, 'to', role), unixepoch('subsec') * 1000
  FROM users WHERE username = '${name}' AND role = '${role}' AND changes() = 1;
SELECT username, role FROM users WHERE username = '${name}';`;
const output = execFileSync(
  process.execPath,
  ["node_modules/wrangler/bin/wrangler.js", "d1", "execute", "DB", ...target, "--json", "--command", sql],
  { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
);
const results = JSON.parse(output) as { results: { username: string; role: string }[] }[];
const rows = results.at(-1)?.results ?? [];
if (rows.length === 0) {
  console.error(`no user named ${username}`);
  process.exit(1);
}
if (rows[0]?.role !== role) {
  console.error(`${rows[0]?.username} is the last admin and stays one: promote someone else first.`);
  process.exit(1);
}
console.log(`${rows[0]?.username} is now ${rows[0]?.role}.`);
