import { ConfigurationError, type ErrorReason, type Platform } from '../errors.js';
import type { Check } from './check.js';

type Method = 'get' | 'put' | 'post' | 'delete';
/** The contract's paths that have `method`. */
export type PathsWith<Paths, M extends Method> = {
  [P in keyof Paths]: Paths[P] extends { [K in M]?: infer O } ? ([O] extends [never] ? never : [O] extends [undefined] ? never : P) : never;
}[keyof Paths] &
  string;

/** Where an operation's quirks change how its answers read. */
export type Role = 'login' | 'profile' | 'logout';

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

/** Declares an operation of `Paths`: the path must exist for that method in the contract. */
export const operation =
  <Paths>() =>
  <M extends Method, P extends PathsWith<Paths, M>>(
    name: string,
    method: M,
    path: P,
    rest: Omit<Operation, 'name' | 'method' | 'path'> = {},
  ): Operation => ({ name, method: method.toUpperCase() as Operation['method'], path, ...rest });

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
