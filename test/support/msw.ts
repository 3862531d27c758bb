// msw for one test file, with every mocked answer checked against openapi.yaml.
//
// Contract check: `useMsw()` listens to msw's `response:mocked` event and validates each answer
// whose request reaches a contract operation (test/support/contract.ts). A test whose answers
// break the contract fails in `afterEach`, with the problems listed; `afterAll` catches answers
// that arrived outside a test. Requests to paths the contract does not describe are not checked
// (the mocks' msw handlers only exist for contract paths).
//
// Two kinds of answers are off-contract on purpose and must be declared, so nothing slips through
// silently:
// - Faults: inject them with `injectFault(mock, fault)`, or call `trackFaults(mock)` once and then
//   `mock.faults.inject(fault)`. Either marks exactly the requests that hit a fault changing the
//   answer (status, body or network error; a latency-only fault still answers per contract and
//   stays checked), also under concurrency. A fault injected into an untracked mock is checked and
//   fails.
// - Hand-written handlers that imitate a server breaking the contract: wrap them,
//   `server.use(...offContract(http.get(url, resolver)))`. Their answers are not checked; answers
//   of the mocks' own handlers always are.
import type { RequestHandler } from 'msw';
import { setupServer, type SetupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { Fault, PlatformMock } from '../../src/mocks/index.js';
import { validateExchange } from './contract.js';

/** Requests whose answers are off-contract on purpose (see above). */
const exempt = new WeakSet<Request>();

export interface ContractCheck {
  /** Answers validated so far. */
  readonly validated: number;
  /** Answers exempted as faults or `offContract` handlers. */
  readonly exempted: number;
  /** Waits for pending validations; returns the problems found since the last call. */
  settle(): Promise<string[]>;
}

/** Validates every answer `server` mocks against the contract (useMsw does this for you). */
export function checkContract(server: SetupServer): ContractCheck {
  let validated = 0;
  let exempted = 0;
  let pending: Promise<void>[] = [];
  let problems: string[] = [];
  server.events.on('response:mocked', ({ request, response }) => {
    if (exempt.has(request)) {
      exempted++;
      return;
    }
    const copy = response.clone();
    pending.push(
      validateExchange(request, copy).then(
        (result) => {
          if (!result.operation) return;
          validated++;
          problems.push(...result.problems);
        },
        (error: unknown) => void problems.push(`${request.method} ${request.url}: validator failed: ${String(error)}`),
      ),
    );
  });
  return {
    get validated() {
      return validated;
    },
    get exempted() {
      return exempted;
    },
    async settle() {
      while (pending.length) {
        const batch = pending;
        pending = [];
        await Promise.all(batch);
      }
      const found = problems;
      problems = [];
      return found;
    },
  };
}

const failure = (problems: string[]) =>
  new Error(
    `${problems.length} mocked answer(s) break openapi.yaml:\n- ${problems.join('\n- ')}\n` +
      '(Deliberate faults: injectFault() or trackFaults() from test/support/msw.ts; hand-written off-contract handlers: offContract().)',
  );

/** An msw server for one test file; unhandled requests fail the test, mocked answers are checked against the contract. */
export function useMsw(): SetupServer & { readonly contract: ContractCheck } {
  const server = setupServer();
  const contract = checkContract(server);
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(async () => {
    server.resetHandlers();
    const problems = await contract.settle();
    if (problems.length) throw failure(problems);
  });
  afterAll(async () => {
    server.close();
    const problems = await contract.settle();
    if (contract.validated + contract.exempted)
      console.info(`[contract] ${contract.validated} mocked answers validated against openapi.yaml, ${contract.exempted} off-contract by declaration`);
    if (problems.length) throw failure(problems);
  });
  return Object.assign(server, { contract });
}

const tracked = new WeakSet<object>();
const changesAnswer = (fault: Fault) => fault.status !== undefined || fault.body !== undefined || fault.networkError === true;

/**
 * Exempts from the contract check the answers this mock's faults shape, however they are injected
 * (`mock.faults.inject` included, as users' tests do). The mock core takes the fault synchronously
 * inside `handle`, so wrapping `handle` and `faults.take` ties each fault to the very request it hit.
 */
export function trackFaults<M extends PlatformMock<unknown>>(mock: M): M {
  if (tracked.has(mock)) return mock;
  tracked.add(mock);
  const faults = mock.faults;
  const take = faults.take.bind(faults);
  const handle = mock.handle.bind(mock);
  let hit: Fault | undefined;
  faults.take = (method, path) => (hit = take(method, path));
  mock.handle = (request) => {
    hit = undefined;
    const answer = handle(request);
    if (hit && changesAnswer(hit)) exempt.add(request);
    return answer;
  };
  return mock;
}

/** Injects a fault into a mock (as `mock.faults.inject` does) whose answers are exempt from the contract check. */
export function injectFault(mock: PlatformMock<unknown>, fault: Fault): void {
  trackFaults(mock).faults.inject(fault);
}

/** Marks hand-written handlers whose answers break the contract on purpose (see above). */
export function offContract<H extends RequestHandler>(...handlers: H[]): H[] {
  for (const handler of handlers) {
    const run = handler.run.bind(handler);
    handler.run = async (args) => {
      const result = await run(args);
      if (result?.response) exempt.add(args.request);
      return result;
    };
  }
  return handlers;
}
