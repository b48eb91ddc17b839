import { afterEach, beforeEach } from 'vitest';
import { startSimulator, type Exchange, type Simulator, type SimulatorOptions } from '../../src/simulator/index.js';
import { matchRoute, validateRequest, validateResponse } from './openapi.js';

/**
 * A simulator whose every v1 exchange is checked against the Taskade spec file: each response
 * body against the operation's response schema, and (unless `checkRequests: false`) each request
 * body the client sent against the request schema. Drift fails the test:
 * - `close()` rejects listing the violations (so a forgotten assertion still fails), and
 * - `assertNoViolations()` throws them at any point you like.
 *
 * Usage, one simulator per test:
 *   const sim = useCheckedSimulator();              // in a describe block
 *   it('…', async () => { const s = sim(); … s.baseUrl … });
 * or by hand:
 *   const s = await startCheckedSimulator(); try { … } finally { await s.close(); }
 */
export interface CheckedSimulatorOptions extends SimulatorOptions {
  /**
   * Validate request bodies against the spec too. Turn off only in tests that send invalid
   * requests on purpose (to pin the simulator's 400s); responses are always checked.
   * @default true
   */
  checkRequests?: boolean;
}

export interface CheckedSimulator extends Simulator {
  /** Contract violations seen so far, one line each. */
  violations(): string[];
  /** Every v1 exchange so far, in order (handy for asserting exactly what a client sent). */
  exchanges(): Exchange[];
  /** Throws an Error listing the violations, if any. */
  assertNoViolations(): void;
  /** Closes the server, then rejects if any violation was seen. */
  close(): Promise<void>;
}

export function contractViolations(e: Exchange, checkRequests: boolean): string[] {
  const out: string[] = [];
  const route = e.route ?? matchRoute(e.method, e.path);
  if (e.route === null) {
    // A path the simulator does not serve: either not in the spec, or an operation we chose not
    // to simulate. Both mean the client called something it should not rely on here.
    out.push(
      `${e.method} ${e.path}: ${route === null ? 'no such operation in the spec' : `spec route ${route} is not simulated`}`,
    );
    return out;
  }
  if (checkRequests) out.push(...validateRequest(e.method, e.route, e.requestBody));
  if (e.status !== 0) out.push(...validateResponse(e.method, e.route, e.status, e.responseBody));
  return out;
}

export async function startCheckedSimulator(options: CheckedSimulatorOptions = {}): Promise<CheckedSimulator> {
  const { checkRequests = true, onExchange, ...rest } = options;
  const violations: string[] = [];
  const exchanges: Exchange[] = [];
  const sim = await startSimulator({
    ...rest,
    onExchange(e) {
      exchanges.push(e);
      violations.push(...contractViolations(e, checkRequests));
      onExchange?.(e);
    },
  });
  const assertNoViolations = (): void => {
    if (violations.length > 0) {
      throw new Error(`Taskade contract violations (${violations.length}):\n  ${violations.join('\n  ')}`);
    }
  };
  return Object.assign(Object.create(null) as object, sim, {
    violations: () => [...violations],
    exchanges: () => [...exchanges],
    assertNoViolations,
    close: async () => {
      await sim.close();
      assertNoViolations();
    },
  }) as CheckedSimulator;
}

/**
 * Registers beforeEach/afterEach hooks: a fresh checked simulator per test, closed after it,
 * and the test fails on any contract violation. Returns a getter for the current simulator.
 */
export function useCheckedSimulator(options: CheckedSimulatorOptions = {}): () => CheckedSimulator {
  let current: CheckedSimulator | null = null;
  beforeEach(async () => {
    current = await startCheckedSimulator(options);
  });
  afterEach(async () => {
    const sim = current;
    current = null;
    await sim?.close();
  });
  return () => {
    if (current === null) throw new Error('useCheckedSimulator(): the simulator exists only inside a test');
    return current;
  };
}
