import { ConfigurationError, type ErrorReason, type Platform } from '../errors.js';
import type { Check } from './check.js';

type Method = 'get' | 'put' | 'post' | 'delete';
/** The contract's paths that have `method`. */
export type PathsWith<Paths, M extends Method> = {
  [P in keyof Paths]: Paths[P] extends { [K in M]?: infer O } ? ([O] extends [never] ? never : [O] extends [undefined] ? never : P) : never;
}[keyof Paths] &
  string;

/** Where an operation's quirks change how its answers read. */
export type Role = 'login' | 'profile' | 'logout' | 'changePassword' | 'passwordResetRequest' | 'passwordReset';

/** One contract operation as the high-level methods use it: data, typed by the contract at its definition. */
export interface Operation {
  /** The SDK's name for it, in errors and hooks. */
  name: string;
  method: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** The contract path; `{name}` parameters are filled from the call's `params`. */
  path: string;
  /** The 2xx body's check, generated from the contract. */
  check?: Check;
  role?: Role;
  /** False when the call must travel without the session's credential (login). */
  auth?: false;
}

/** One row of a platform's table: method, contract path (which must have that method), and the rest. */
export type OperationSpec<Paths> = {
  [M in Method]: [method: M, path: PathsWith<Paths, M>, rest?: Omit<Operation, 'name' | 'method' | 'path'>];
}[Method];

/**
 * Declares the operations of `Paths` from a table keyed by their names. Providers mark the call
 * `@__PURE__`: dist/ puts every provider in one chunk, and the mark lets a bundle drop the tables of
 * the platforms it does not use.
 */
export const operations =
  <Paths>() =>
  <T extends Record<string, OperationSpec<Paths>>>(table: T): Record<keyof T, Operation> =>
    Object.fromEntries(
      Object.entries(table).map(([name, [method, path, rest]]): [string, Operation] => [
        name,
        { name, method: method.toUpperCase() as Operation['method'], path, ...rest },
      ]),
    ) as Record<keyof T, Operation>;

/**
 * The role of a request path (below the base URL) by the declared operations, so a `createApi`
 * call to an operation's path reads its answers with that operation's quirks.
 */
export function roleMatcher(ops: readonly Operation[]): (path: string) => Role | undefined {
  const rows = ops
    .filter((op) => op.role)
    .map((op) => [new RegExp(`^${op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\w+\}/g, '[^/]+')}$`), op.role] as const);
  return (path) => rows.find(([pattern]) => pattern.test(path))?.[1];
}

/** Control characters, and the dot segments that would retarget the request to a parent path. */
const BAD_SEGMENT = /^\.{0,2}$|[\0-\x1f\x7f]/;

/** The path with its parameters filled in, each one a single encoded segment. */
export function fillPath(platform: Platform, op: Operation, params: Record<string, string> = {}): string {
  return op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params[name];
    if (typeof value !== 'string' || BAD_SEGMENT.test(value))
      throw new ConfigurationError(`\`${name}\` must be a non-empty string other than "." or "..", without control characters.`, {
        platform,
        operation: op.name,
      });
    return encodeURIComponent(value);
  });
}

/** How a platform reads one answer: undefined for a success, else what went wrong. */
export interface Verdict {
  /** `refused`: the credential is not (or no longer) valid; `csrf`: the CSRF cookie is missing. */
  kind: 'refused' | 'credentials' | 'forbidden' | 'csrf' | 'throttled' | 'failed';
  reason?: ErrorReason;
  code?: string | number;
  message?: string;
  /** The refusal proves the server did not run the request, so even a POST may be replayed. */
  unrun?: boolean;
  /** Seconds, when the platform's rules tell. */
  retryAfter?: number;
}
