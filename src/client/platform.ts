import type { KeyPlacement } from '../auth/api-key.js';
import type { DriveJar, JarDriver } from '../auth/jar-driver.js';
import type { AuthwireError, ErrorContext, Platform } from '../errors.js';
import type { Operation, Role, Verdict } from '../pipeline/operation.js';
import type { Answer } from '../pipeline/run.js';
import type { SessionState } from '../session/state.js';
import type { AuthMode, ClientOptions } from '../types.js';

/** A login's request, built (and its input checked) by the platform. */
export interface LoginRequest {
  json?: unknown;
  query?: Record<string, string | undefined>;
  /** The password: kept out of every error. */
  secret: string;
}

/** A login's new credential (none for cookie sessions, whose credential is the cookie). */
export interface Credential {
  secret?: string;
  expiresAt?: number;
}

/** What a login that needs more steps (Apostrophe's requirements) gets: the input and one POST through the pipeline. */
export interface LoginSteps<Login> {
  input: Login;
  /** A JSON POST to a path of the platform with the site's cookies (CSRF included); the parsed body or a typed error. */
  post(operation: string, path: string, json: Record<string, unknown>, secrets: string[]): Promise<unknown>;
}

/** What each platform declares; everything else is the shared flow below. */
export interface PlatformDef<U, Login> {
  platform: Platform;
  place: KeyPlacement;
  classify(status: number, body: unknown, role: Role | undefined): Verdict | undefined;
  csrfPrime?: string;
  ops: { login: Operation; profile: Operation; logout: Operation };
  loginRequest(input: Login, mode: AuthMode): LoginRequest;
  /** The new credential in a login's answer (none for cookie sessions, whose credential is the cookie). */
  credential(body: unknown, answer: Answer, mode: AuthMode, now: number, ctx: ErrorContext, steps: LoginSteps<Login>): Credential | Promise<Credential>;
  /** The user in a profile answer. */
  user(body: unknown): U;
  /** A failed check of a new login: rethrow (or replace) the error, or return to keep the session without a user. */
  unverified?(error: AuthwireError, mode: AuthMode): void;
  /** Whether logging out on the server ends the credential of `mode`. */
  revokes(mode: AuthMode): boolean;
}

/** The option under which the Node entry hands its clients the cookie jar driver (never a user's option). */
export const JAR_DRIVER = Symbol.for('authwire.jarDriver');

export interface CoreInit<U, Login> {
  def: PlatformDef<U, Login>;
  options: ClientOptions & { getCredentials?: (() => Login | Promise<Login>) | undefined; [JAR_DRIVER]?: DriveJar };
  mode: AuthMode;
  /** A credential handed in by the user (API key, token, cookie). */
  initial?: Omit<SessionState<U>, 'id'> | undefined;
  /** Completes `initial` before its first use, with `detached` calls only (see the lifecycle's `prepare`). */
  prepare?: ((initial: SessionState<U>) => Promise<SessionState<U>>) | undefined;
}

/** A call's input: path parameters, query and JSON body. */
export interface Input {
  params?: Record<string, string>;
  query?: Record<string, string | undefined>;
  json?: unknown;
  secrets?: string[];
  /** Outside the session: takes no cookies and reads no session (a lookup made while preparing it). */
  detached?: boolean;
  /** A login's own cookie jar (`JarDriver.staged`), instead of the client's. */
  jar?: JarDriver | undefined;
}

