import { InvalidResponseError, type ErrorContext } from '../errors.js';

/** A runtime check that a parsed body has the shape the contract promises. */
export type Check = (value: unknown) => boolean;

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const str: Check = (v) => typeof v === 'string';
export const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
export const bool: Check = (v) => typeof v === 'boolean';
export const record: Check = isRecord;
export const opt = (check: Check): Check => (v) => v === undefined || check(v);
export const nullable = (check: Check): Check => (v) => v === null || check(v);
export const arr = (check: Check): Check => (v) => Array.isArray(v) && v.every(check);
export const obj = (fields: Record<string, Check>): Check => (v) =>
  isRecord(v) && Object.keys(fields).every((key) => fields[key]!(v[key]));

/** Returns `value` typed as `T` once `check` accepts it; otherwise an `InvalidResponseError`. */
export function expect<T>(value: unknown, check: Check, ctx: ErrorContext): T {
  if (check(value)) return value as T;
  throw new InvalidResponseError(
    value === undefined ? 'Empty body where data was expected.' : 'Unexpected body shape.',
    ctx,
  );
}
