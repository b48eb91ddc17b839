/**
 * Fault injection: rules matched per request by method and spec route, fired with a probability
 * (seeded PRNG, so a failing run replays) and/or for the next N matching requests.
 */
/**
 * `applyLate`: the request is applied after the latency rules' delay even when the client has gone
 * meanwhile (a server that had already accepted it): a client killed while it waits never hears of
 * a change that happens after it is gone.
 */
export type FaultKind = 'status500' | 'status503' | 'latency' | 'drop' | 'applyThenDrop' | 'applyLate';

export const FAULT_KINDS: readonly FaultKind[] = [
  'status500',
  'status503',
  'latency',
  'drop',
  'applyThenDrop',
  'applyLate',
];

export interface FaultRule {
  kind: FaultKind;
  /** e.g. 'POST'; omitted = any method. */
  method?: string;
  /** Spec route key, e.g. '/projects/{projectId}/tasks/'; omitted = any v1 route. */
  route?: string;
  /** Fire for the next N matching requests that pass the `rate` roll; omitted = unlimited. */
  count?: number;
  /** Probability 0..1 per matching request. @default 1 */
  rate?: number;
  /** Added delay for 'latency'. @default 0 */
  latencyMs?: number;
}

/** What the server does with one request: delay first, then at most one terminal fault. */
export interface FaultDecision {
  latencyMs: number;
  outcome: Exclude<FaultKind, 'latency'> | null;
  /** How many rules fired (latency rules included); counted in stats as faults. */
  fired: number;
}

/** mulberry32: a tiny, well-known 32-bit PRNG; good enough for reproducible fault rolls. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Throws a TypeError naming the rule and key when a rule is malformed (rules arrive over HTTP too). */
export function checkFaultRules(rules: unknown): FaultRule[] {
  if (!Array.isArray(rules))
    throw new TypeError(
      `Unexpected value \`${JSON.stringify(rules)}\` for \`rules\`, expected an array of fault rules`,
    );
  return rules.map((rule: unknown, i) => {
    const r = rule as Record<string, unknown> | null;
    const where = `rules[${i}]`;
    if (typeof r !== 'object' || r === null)
      throw new TypeError(`Unexpected value \`${JSON.stringify(rule)}\` for \`${where}\`, expected an object`);
    if (!FAULT_KINDS.includes(r.kind as FaultKind)) {
      throw new TypeError(
        `Unexpected value \`${String(r.kind)}\` for \`${where}.kind\`, expected one of ${FAULT_KINDS.join(', ')}`,
      );
    }
    for (const key of ['method', 'route'] as const) {
      if (r[key] !== undefined && typeof r[key] !== 'string')
        throw new TypeError(`Unexpected value \`${String(r[key])}\` for \`${where}.${key}\`, expected a string`);
    }
    if (r.count !== undefined && !(Number.isInteger(r.count) && (r.count as number) >= 0)) {
      throw new TypeError(
        `Unexpected value \`${String(r.count)}\` for \`${where}.count\`, expected a whole number ≥ 0`,
      );
    }
    if (r.rate !== undefined && !(typeof r.rate === 'number' && r.rate >= 0 && r.rate <= 1)) {
      throw new TypeError(
        `Unexpected value \`${String(r.rate)}\` for \`${where}.rate\`, expected a number from 0 to 1`,
      );
    }
    if (r.latencyMs !== undefined && !(typeof r.latencyMs === 'number' && r.latencyMs >= 0)) {
      throw new TypeError(
        `Unexpected value \`${String(r.latencyMs)}\` for \`${where}.latencyMs\`, expected milliseconds ≥ 0`,
      );
    }
    const out: FaultRule = { kind: r.kind as FaultKind };
    if (r.method !== undefined) out.method = (r.method as string).toUpperCase();
    if (r.route !== undefined) out.route = r.route as string;
    if (r.count !== undefined) out.count = r.count as number;
    if (r.rate !== undefined) out.rate = r.rate as number;
    if (r.latencyMs !== undefined) out.latencyMs = r.latencyMs as number;
    return out;
  });
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private random: () => number;

  constructor(seed: number) {
    this.random = mulberry32(seed);
  }

  set(rules: FaultRule[]): void {
    this.rules = checkFaultRules(rules);
  }

  /** The rules still armed (counts reflect what is left). */
  list(): FaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Rules are tried in order: latency rules add up; the first terminal rule that fires wins. */
  decide(method: string, route: string | null): FaultDecision {
    const decision: FaultDecision = { latencyMs: 0, outcome: null, fired: 0 };
    for (const rule of this.rules) {
      if (rule.method !== undefined && rule.method !== method) continue;
      if (rule.route !== undefined && rule.route !== route) continue;
      if (rule.count !== undefined && rule.count <= 0) continue;
      if (this.random() >= (rule.rate ?? 1)) continue;
      if (rule.count !== undefined) rule.count--;
      decision.fired++;
      if (rule.kind === 'latency') decision.latencyMs += rule.latencyMs ?? 0;
      else {
        decision.outcome = rule.kind;
        break;
      }
    }
    return decision;
  }
}
