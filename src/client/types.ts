import type { Client } from 'openapi-fetch';
import type { Platform } from '../errors.js';
import type { AuthEvent } from '../session/events.js';
import type { CallOptions, LogoutResult, SessionInfo } from './engine.js';

/** What every platform client offers. Platform clients add their API-key methods where they exist. */
export interface AuthClient<User, Login, Paths extends {}> {
  readonly platform: Platform;
  /** Signs in and resolves with the new session (user included). */
  login(credentials: Login, options?: CallOptions): Promise<SessionInfo<User>>;
  /** Ends the session on the server where the platform can, and always locally. */
  logout(options?: CallOptions): Promise<LogoutResult>;
  /** The signed-in user; `NotAuthenticatedError` when there is none. */
  profile(options?: CallOptions): Promise<User>;
  /** Mode, signed in or not, expiry and user. Never the secret. */
  session(): Promise<SessionInfo<User>>;
  /** The raw credential (token, key, or `Cookie` header in Node), for callers that need it. */
  credential(): Promise<string | undefined>;
  /** Subscribes to `signedIn`, `signedOut`, `expired` and `refreshed`; returns the unsubscribe function. */
  on(event: AuthEvent, listener: (session: SessionInfo<User>) => void): () => void;
  /** openapi-fetch client for every path of the platform, authenticated like the rest. */
  readonly api: Client<Paths>;
}
