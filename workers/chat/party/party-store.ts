import type { PartyState } from "./party-protocol.ts";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS party (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  state TEXT NOT NULL,
  empty_since INTEGER
);`;

/**
 * The room's party in the object's SQLite: one row, the full state as JSON (written on every
 * change, so an evicted or restarted object resumes the party where it was), and since when
 * nobody has been in the room.
 */
export class PartyStore {
  private cached: { state: PartyState | null; emptySince: number | null } | undefined;

  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  private row(): { state: PartyState | null; emptySince: number | null } {
    if (!this.cached) {
      const row = this.sql
        .exec<{ state: string; empty_since: number | null }>("SELECT state, empty_since FROM party WHERE id = 1")
        .toArray()[0];
      this.cached = row
        ? { state: JSON.parse(row.state) as PartyState, emptySince: row.empty_since }
        : { state: null, emptySince: null };
    }
    return this.cached;
  }

  get(): PartyState | null {
    return this.row().state;
  }

  emptySince(): number | null {
    return this.row().emptySince;
  }

  save(state: PartyState | null): void {
    if (state === null) {
      this.sql.exec("DELETE FROM party");
      this.cached = { state: null, emptySince: null };
      return;
    }
    const emptySince = this.row().emptySince;
    this.sql.exec(
      "INSERT INTO party (id, state, empty_since) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state",
      JSON.stringify(state),
      emptySince,
    );
    this.cached = { state, emptySince };
  }

  setEmptySince(at: number | null): void {
    const current = this.row();
    if (!current.state || current.emptySince === at) return;
    this.sql.exec("UPDATE party SET empty_since = ? WHERE id = 1", at);
    this.cached = { ...current, emptySince: at };
  }
}
