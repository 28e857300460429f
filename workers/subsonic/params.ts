import { badValue, missingParameter } from "./envelope.ts";

/**
 * A Subsonic request's parameters: the query string, plus an `application/x-www-form-urlencoded`
 * body (the OpenSubsonic `formPost` extension). Names may repeat (`id=1&id=2`).
 */
export class Params {
  private constructor(private readonly all: URLSearchParams) {}

  static async of(request: Request): Promise<Params> {
    const all = new URL(request.url).searchParams;
    const type = request.headers.get("content-type") ?? "";
    if (request.method === "POST" && type.includes("application/x-www-form-urlencoded")) {
      const body = new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer()));
      for (const [name, value] of body) all.append(name, value);
    }
    return new Params(all);
  }

  has(name: string): boolean {
    return this.all.has(name);
  }

  get(name: string): string | undefined {
    return this.all.get(name) ?? undefined;
  }

  getAll(name: string): string[] {
    return this.all.getAll(name);
  }

  required(name: string): string {
    const value = this.get(name);
    if (value === undefined || value === "") throw missingParameter(name);
    return value;
  }

  /** An integer parameter, `fallback` when absent; refused outside [min, max]. */
  int(name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    const text = this.get(name);
    if (text === undefined || text === "") return fallback;
    if (!/^-?\d{1,16}$/.test(text)) throw badValue(name, `'${text}' is not a whole number.`);
    const value = Number(text);
    if (value < min || value > max) throw badValue(name, `must be between ${min} and ${max}.`);
    return value;
  }

  requiredInt(name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    this.required(name);
    return this.int(name, 0, min, max);
  }

  bool(name: string, fallback: boolean): boolean {
    const text = this.get(name)?.toLowerCase();
    if (text === undefined || text === "") return fallback;
    return text === "true" || text === "1";
  }
}
