export interface LoggedRequest {
  seq: number;
  /** When the request arrived (Date.now(), ms): ordering writes against a back-off in time. */
  at: number;
  method: string;
  /** The path as sent, without `/api/v3`, and without the query. */
  path: string;
  /** The route template (`/repos/{owner}/{repo}/issues`), null for an unknown route. */
  route: string | null;
  operationId: string | null;
  status: number;
  query: Record<string, string>;
  body: unknown;
  /** Who asked: a login, `app:<slug>` for an app JWT, null when anonymous or unreadable. */
  actor: string | null;
  /** ok: answered by the route; error: the route refused (401, 404, 409, 422…); unexpected: no such route;
   * invalid: the request broke the OpenAPI schema; fault: an injected failure or the write budget. */
  outcome: "ok" | "error" | "unexpected" | "invalid" | "fault";
  /** Schema violations, or the message of the error answered. */
  problems: string[];
}

export type RequestFilter = Partial<
  Pick<LoggedRequest, "method" | "route" | "operationId" | "outcome" | "status">
>;

/** Every request the fake received, in order, with what it answered. */
export class RequestLog {
  private readonly entries: LoggedRequest[] = [];

  start(entry: Omit<LoggedRequest, "seq" | "at">): LoggedRequest {
    const logged = { seq: this.entries.length + 1, at: Date.now(), ...entry };
    this.entries.push(logged);
    return logged;
  }

  requests(filter: RequestFilter = {}): LoggedRequest[] {
    return this.entries.filter((entry) =>
      Object.entries(filter).every(([key, value]) => entry[key as keyof LoggedRequest] === value),
    );
  }

  unexpected(): LoggedRequest[] {
    return this.requests({ outcome: "unexpected" });
  }

  validationFailures(): LoggedRequest[] {
    return this.requests({ outcome: "invalid" });
  }

  /** Requests that reached a route, split into reads (GET) and writes, and counted per operation. */
  counters(): { reads: number; writes: number; byOperation: Record<string, number> } {
    const byOperation: Record<string, number> = {};
    let reads = 0;
    let writes = 0;
    for (const { operationId, method } of this.entries) {
      if (operationId === null) continue;
      byOperation[operationId] = (byOperation[operationId] ?? 0) + 1;
      if (method === "GET") reads++;
      else writes++;
    }
    return { reads, writes, byOperation };
  }

  /** Throws, listing them, if any request hit no route or broke the OpenAPI schema. */
  assertNoUnexpectedRequests(): void {
    const bad = this.entries.filter((entry) => entry.outcome === "unexpected" || entry.outcome === "invalid");
    if (bad.length === 0) return;
    const lines = bad.map(
      (entry) => `  ${entry.method} ${entry.path} → ${entry.status}: ${entry.problems.join("; ")}`,
    );
    throw new Error(`fake GitHub got ${bad.length} unexpected or invalid request(s):\n${lines.join("\n")}`);
  }

  clear(): void {
    this.entries.length = 0;
  }

  /** The most recent entry, for recording a crash of the fake itself. */
  last(): LoggedRequest | undefined {
    return this.entries[this.entries.length - 1];
  }
}
