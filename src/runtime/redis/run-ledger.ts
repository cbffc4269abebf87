// The push runs' ledger in Redis (the promise: src/app/run-ledger.ts), for every instance: one hash per run,
// `<prefix>run:<checkRunId>`, with the record, each plan's result, and the plans whose result is final; kept
// 7 days at most (a run whose plans never report, its jobs lost, expires).
import type { Redis } from "ioredis";
import type { RunLedger, RunRecord } from "../../app/run-ledger.js";
import type { PlanRunResult } from "../../app/workflows/sync-check-run.js";

const TTL_MS = 7 * 24 * 3_600_000;

// Records a result; when every plan's result is final and nobody concluded the run yet, answers the hash (once).
const REPORT = `
redis.call("hset", KEYS[1], "result:" .. ARGV[1], ARGV[2])
if ARGV[3] == "1" then redis.call("hset", KEYS[1], "final:" .. ARGV[1], "1") end
local plans = tonumber(redis.call("hget", KEYS[1], "plans") or "-1")
local final = 0
for _, field in ipairs(redis.call("hkeys", KEYS[1])) do
  if string.sub(field, 1, 6) == "final:" then final = final + 1 end
end
if final >= plans and redis.call("hsetnx", KEYS[1], "concluded", "1") == 1 then
  return redis.call("hgetall", KEYS[1])
end
return false`;

export class RedisRunLedger implements RunLedger {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  key(checkRunId: number): string {
    return `${this.prefix}run:${checkRunId}`;
  }

  async open(record: RunRecord): Promise<void> {
    const key = this.key(record.checkRunId);
    await this.redis
      .multi()
      .hset(key, { record: JSON.stringify(record), plans: String(record.plans) })
      .pexpire(key, TTL_MS)
      .exec();
  }

  async report(checkRunId: number, index: number, result: PlanRunResult, final: boolean) {
    const key = this.key(checkRunId);
    if (!(await this.redis.exists(key))) return null;
    const flat = (await this.redis.eval(
      REPORT,
      1,
      key,
      String(index),
      JSON.stringify(result),
      final ? "1" : "0",
    )) as string[] | null;
    if (!flat) return null;
    const fields = fieldsOf(flat);
    await this.redis.del(key);
    const record = JSON.parse(fields.get("record") ?? "null") as RunRecord | null;
    return record ? { record, results: resultsOf(fields, record.plans) } : null;
  }

  async results(checkRunId: number): Promise<PlanRunResult[] | null> {
    const hash = await this.redis.hgetall(this.key(checkRunId));
    if (!hash["record"]) return null;
    const fields = new Map(Object.entries(hash));
    return resultsOf(fields, Number(hash["plans"]));
  }

  async has(checkRunId: number): Promise<boolean> {
    return (await this.redis.exists(this.key(checkRunId))) === 1;
  }
}

function fieldsOf(flat: string[]): Map<string, string> {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i] as string, flat[i + 1] as string);
  return fields;
}

function resultsOf(fields: Map<string, string>, plans: number): PlanRunResult[] {
  const results: PlanRunResult[] = [];
  for (let index = 0; index < plans; index++) {
    const text = fields.get(`result:${index}`);
    if (text) results[index] = JSON.parse(text) as PlanRunResult;
  }
  return results;
}
