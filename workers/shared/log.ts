/**
 * Structured logs: one JSON object per line, which Workers Logs (observability in wrangler.toml) and
 * `wrangler tail` index by field. Every line has `level`, `event` and `time`; requests add `requestId`,
 * queue batches `queue`, Durable Objects `object`. Never pass secrets, tokens or request bodies.
 */
export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export function log(level: LogLevel, event: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ level, event, time: new Date().toISOString(), ...fields }, jsonSafe);
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}

/** An error as log fields: its name, message and chain of causes (stack of the outermost only). */
export function errorFields(error: unknown): { error: LogFields } {
  return { error: describe(error, 0) };
}

const MAX_CAUSE_DEPTH = 4;

function describe(error: unknown, depth: number): LogFields {
  if (!(error instanceof Error)) return { message: String(error) };
  const fields: LogFields = { name: error.name, message: error.message };
  if (depth === 0 && error.stack) fields.stack = error.stack.split("\n").slice(0, 8).join("\n");
  if (error.cause !== undefined && depth < MAX_CAUSE_DEPTH) fields.cause = describe(error.cause, depth + 1);
  return fields;
}

function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (value instanceof Error) return describe(value, 1);
  return value;
}

/** Runs `work` and logs one line when it ends: the outcome and how long it took. Rethrows failures. */
export async function logged<T>(event: string, fields: LogFields, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  try {
    const result = await work();
    log("info", event, { ...fields, outcome: "ok", durationMs: Date.now() - started });
    return result;
  } catch (error) {
    log("error", event, { ...fields, outcome: "error", durationMs: Date.now() - started, ...errorFields(error) });
    throw error;
  }
}
