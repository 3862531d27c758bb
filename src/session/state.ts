import type { AuthMode } from '../types.js';

/** What is kept per session. `id` changes whenever the credential does. */
export interface SessionState<U> {
  id: string;
  mode: AuthMode;
  /** Bearer token or API key. */
  secret?: string;
  /** Cookie jar contents (Node cookie mode), as `Set-Cookie` lines. */
  cookies?: string[];
  /** Epoch milliseconds. */
  expiresAt?: number;
  user?: U;
}

const MODES: readonly string[] = ['cookie', 'bearer', 'apiKey'];

/** A stored value as a session; anything else (corrupt, foreign, tampered) as none. */
export function decodeState<U>(raw: string | null | undefined): SessionState<U> | undefined {
  try {
    const value = raw ? (JSON.parse(raw) as SessionState<U>) : undefined;
    return value && typeof value.id === 'string' && MODES.includes(value.mode) ? value : undefined;
  } catch {
    return undefined;
  }
}

let counter = 0;
/** Unique per session: time, a counter and randomness, so two processes never mint the same id. */
export const newSessionId = () => `${Date.now().toString(36)}.${(counter++).toString(36)}.${Math.random().toString(36).slice(2)}`;

/** The expiry rule, in one place: a session is expired from its `expiresAt` millisecond on. */
export const isExpired = (state: { expiresAt?: number | undefined }, now: number) =>
  state.expiresAt !== undefined && now >= state.expiresAt;
