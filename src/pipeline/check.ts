import { InvalidResponseError, type ErrorContext } from '../errors.js';

/**
 * A runtime check that a parsed body has the shape the contract promises. `generated/*.checks.ts`
 * builds one per schema of `openapi.yaml` from these few combinators; they are marked free of side
 * effects, so a bundle keeps only the checks its clients use.
 */
export type Check = (value: unknown) => boolean;

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const str: Check = (v) => typeof v === 'string';
export const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
export const bool: Check = (v) => typeof v === 'boolean';
export const any: Check = () => true;
export const nul: Check = (v) => v === null;
/* @__NO_SIDE_EFFECTS__ */ export function opt(check: Check): Check {
  return (v) => v === undefined || check(v);
}
/* @__NO_SIDE_EFFECTS__ */ export function nullable(check: Check): Check {
  return (v) => v === null || check(v);
}
/* @__NO_SIDE_EFFECTS__ */ export function arr(check: Check): Check {
  return (v) => Array.isArray(v) && v.every(check);
}
/* @__NO_SIDE_EFFECTS__ */ export function obj(fields: Record<string, Check>): Check {
  return (v) => isRecord(v) && Object.keys(fields).every((key) => fields[key]!(v[key]));
}
/* @__NO_SIDE_EFFECTS__ */ export function oneOf(...checks: Check[]): Check {
  return (v) => checks.some((check) => check(v));
}

/** Returns `value` typed as `T` once `check` accepts it; otherwise an `InvalidResponseError`. */
export function expect<T>(value: unknown, check: Check, ctx: ErrorContext): T {
  if (check(value)) return value as T;
  throw new InvalidResponseError(value === undefined ? 'Empty body where data was expected.' : 'Unexpected body shape.', {
    ...ctx,
    reason: 'shape',
  });
}
