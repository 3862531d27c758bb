// Every public type of the SDK, in one place. Generated contract types reach users through the named
// interfaces below, so hovers and messages show `CocoUser`, not a structure or a bundler's name.
import type { components as ApostropheSchemas, paths as ApostrophePaths } from '../generated/apostrophe.js';
import type { components as CocoSchemas, paths as CocoPaths } from '../generated/coco.js';
import type { components as LowcoderSchemas, paths as LowcoderPaths } from '../generated/lowcoder.js';
import type { CookieJar } from './auth/cookie-jar.js';
import type { AuthwireError, Platform } from './errors.js';
import type { SessionStore } from './session/store.js';

export type { ApostrophePaths, CocoPaths, LowcoderPaths, Platform, SessionStore };

/** How a credential travels: a cookie, `Authorization: Bearer`, or the platform's API-key header. */
export type AuthMode = 'cookie' | 'bearer' | 'apiKey';

/** Session lifecycle events. `refreshed` follows an automatic re-login or a session taken from the store. */
export type AuthEvent = 'signedIn' | 'signedOut' | 'expired' | 'refreshed';

/** Receives one line per attempt and per retry: method, origin and path; never headers, bodies or queries. */
export interface Logger {
  debug?(message: string): void;
  warn?(message: string): void;
}

/** A request as the pipeline is about to send it. Hooks may add or change headers. */
export interface HookRequest {
  readonly method: string;
  readonly url: string;
  /** Lower-case names. Holds the credential: never log it. */
  headers: Record<string, string>;
}

/** Where a request stands, for hooks. */
export interface HookInfo {
  readonly platform: Platform;
  /** `login`, `profile`, …, or `METHOD /path` for `createApi` calls. */
  readonly operation: string;
  /** 0 for the first send, 1 for the one replay after a re-login or CSRF priming. */
  readonly replay: number;
}

/**
 * The one extension seam every request passes (`login()`, `profile()`, the key methods and
 * `createApi`), in the order given. A hook that throws fails the call with its error.
 */
export interface Hooks {
  /** Before each send, after the credential is attached. */
  onRequest?(request: HookRequest, info: HookInfo): void | Promise<void>;
  /** After each answer arrived, body read, before it is classified. The body is already consumed. */
  onResponse?(response: Response, info: HookInfo): void | Promise<void>;
  /** When the call fails with a typed error (already scrubbed of secrets). */
  onError?(error: AuthwireError, info: HookInfo): void | Promise<void>;
}

/** Options every platform client takes. */
export interface ClientOptions {
  /** Where the platform is served, path prefix included (`https://cms.example.com/blog`); no query, fragment or user-info. */
  baseUrl: string;
  /**
   * A fetch implementation, looked up at every call.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch;
  /** Sent with every request (header values must be valid: no CR, LF or NUL). */
  headers?: Record<string, string>;
  /**
   * Milliseconds per attempt, body included; 0 turns it off. At most 2,147,483,647.
   * @default 30000
   */
  timeout?: number;
  /**
   * Retries of idempotent requests on network errors and 429/502/503/504; 0 turns them off. An integer 0–10.
   * @default 2
   */
  maxRetries?: number;
  /**
   * Largest response body read, in bytes, for every call including `createApi` ones.
   * @default 1048576
   */
  maxBodyBytes?: number;
  /** Receives one line per attempt and retry. A logger that throws never breaks a call. */
  logger?: Logger;
  /** The extension seam every request passes. */
  hooks?: Hooks;
  /**
   * Where the session lives. A store with `tryLock` and `watch` makes every client sharing it act as one.
   * @default memoryStore()
   */
  store?: SessionStore;
  /**
   * The session's key in the store.
   * @default `authwire:<platform>:<baseUrl>`
   */
  storageKey?: string;
  /**
   * Permit credentials over plain `http:` to a host other than loopback (`localhost`, 127.0.0.0/8, `::1`).
   * @default false
   */
  allowInsecureHttp?: boolean;
  /**
   * Cookie handling: `'include'` or `'same-origin'` lets the browser keep them; a `CookieJar`
   * keeps them in Node.
   * @default 'include' in browsers, a new CookieJar in the Node entry
   */
  cookies?: CookieJar | 'include' | 'same-origin';
  /**
   * The clock, in epoch milliseconds (for tests).
   * @default Date.now
   */
  now?: () => number;
}

/** Per-call options of every method. */
export interface CallOptions {
  /** Aborts the call, re-login included. */
  signal?: AbortSignal | undefined;
  /** Milliseconds for each attempt of this call, body included; also bounds waits for a re-login. */
  timeout?: number | undefined;
  maxRetries?: number | undefined;
  /**
   * Retry this call on transient failures even though its method is not idempotent.
   * @default false
   */
  retrySafe?: boolean;
  headers?: Record<string, string>;
}

/** What a client knows about its session. Never holds the secret itself. */
export interface SessionInfo<U> {
  platform: Platform;
  mode: AuthMode;
  signedIn: boolean;
  expiresAt?: Date;
  user?: U;
}

/** What `logout()` achieved. It always resolves; the local session is cleared whatever happened. */
export interface LogoutResult {
  /** True when the server invalidated the credential; false when it stays valid (see README). */
  serverRevoked: boolean;
  /** Set when the server call or the store failed. */
  error?: AuthwireError;
}

/** What every platform client offers. Platform clients add their API-key methods where they exist. */
export interface AuthClient<User, Login> {
  readonly platform: Platform;
  /** Signs in and resolves with the new session (user included). Nothing changes when it fails. */
  login(credentials: Login, options?: CallOptions): Promise<SessionInfo<User>>;
  /**
   * Ends the session on the server where the platform can, and always locally; never re-logs in
   * (also not on a 401) and stops automatic re-login until the next `login()`.
   */
  logout(options?: CallOptions): Promise<LogoutResult>;
  /** The signed-in user; `NotAuthenticatedError` when there is none. */
  profile(options?: CallOptions): Promise<User>;
  /** Mode, signed in or not, expiry and user. Never the secret. */
  session(): Promise<SessionInfo<User>>;
  /** The raw credential (token, key, or `Cookie` header in Node), for callers that need it. */
  credential(): Promise<string | undefined>;
  /** Subscribes to `signedIn`, `signedOut`, `expired` and `refreshed`; returns the unsubscribe function. */
  on(event: AuthEvent, listener: (session: SessionInfo<User>) => void): () => void;
}

type Not<K extends string> = { [P in K]?: never };

// ---- Lowcoder ----

/** Lowcoder's current user (`GET /api/users/currentUser`); the OAuth `userAuth.jwt` is never kept. */
type LowcoderUserDetail = Omit<LowcoderSchemas['schemas']['LowcoderUserDetail'], 'userAuth'>;
export interface LowcoderUser extends LowcoderUserDetail {
  userAuth?: { provider: string } | null;
}
/** A new API key; `token` is shown this once. */
type LowcoderApiKeyShape = LowcoderSchemas['schemas']['LowcoderApiKey'];
export interface LowcoderApiKey extends LowcoderApiKeyShape {}
/** A listed API key; `token` is masked. */
type LowcoderApiKeySummaryShape = LowcoderSchemas['schemas']['LowcoderApiKeySummary'];
export interface LowcoderApiKeySummary extends LowcoderApiKeySummaryShape {}

export interface LowcoderLogin {
  email: string;
  password: string;
  /** Auth config id; `EMAIL` (the built-in email login) by default. */
  authId?: string;
  /** Org whose auth configs apply (SAAS mode) and to join or switch to. */
  orgId?: string;
  /** Join through this invitation after logging in. */
  invitationId?: string;
}

interface LowcoderBase extends ClientOptions {
  /** The session cookie's name (`LOWCODER_COOKIE_NAME`; `GET /api/configs` tells). @default 'LOWCODER_CE_SELFHOST_TOKEN' */
  cookieName?: string;
}
/** Lowcoder options: a login session, an API key, or a session cookie copied from a browser — one of them. */
export type LowcoderOptions =
  | (LowcoderBase & Not<'apiKey' | 'sessionCookie'> & {
      /** Called for a fresh login when the session expires or is refused; never store passwords instead. */
      getCredentials?: () => LowcoderLogin | Promise<LowcoderLogin>;
    })
  | (LowcoderBase & Not<'sessionCookie' | 'getCredentials'> & {
      /** An API key (`Authorization: Bearer`); the session cookie is then never sent with it. */
      apiKey: string;
    })
  | (LowcoderBase & Not<'apiKey'> & {
      /** An existing session cookie value, e.g. copied from a signed-in browser (Node only). */
      sessionCookie: string;
      getCredentials?: () => LowcoderLogin | Promise<LowcoderLogin>;
    });

export interface LowcoderClient extends AuthClient<LowcoderUser, LowcoderLogin> {
  readonly platform: 'lowcoder';
  /** Creates an API key with all of the caller's rights and no expiry; its token is shown once. */
  createApiKey(input: { name: string; description?: string }, options?: CallOptions): Promise<LowcoderApiKey>;
  listApiKeys(options?: CallOptions): Promise<LowcoderApiKeySummary[]>;
  /** Revokes a key; unknown ids succeed too. */
  deleteApiKey(id: string, options?: CallOptions): Promise<void>;
}

// ---- ApostropheCMS ----

/** whoami fields: `_id`, `username`, `title`, `email` when set, plus the site's `whoamiFields`. */
type ApostropheWhoami = ApostropheSchemas['schemas']['ApostropheWhoami'];
export interface ApostropheUser extends ApostropheWhoami {}

export interface ApostropheLogin {
  /** Username or email. */
  username: string;
  password: string;
  /** Values for `beforeSubmit`/`uponSubmit` login requirements (captcha…), by name. */
  requirements?: Record<string, unknown>;
}

interface ApostropheBase extends ClientOptions {
  /** The site's `bearerTokens.lifetime` in seconds, for `expiresAt`. @default 1209600 (14 days) */
  bearerLifetime?: number;
}
type ApostropheLoginOptions = {
  /** Called for a fresh login when the session expires or is refused; never store passwords instead. */
  getCredentials?: () => ApostropheLogin | Promise<ApostropheLogin>;
};
/** Apostrophe options: a login session (bearer or cookie), a bearer token, or an API key — one of them. */
export type ApostropheOptions =
  | (ApostropheBase & Not<'apiKey' | 'apiKeyIn' | 'token'> & ApostropheLoginOptions & {
      /** What `login()` creates: a bearer token, or a cookie session (same-origin browsers, or Node). @default 'bearer' */
      mode?: 'bearer' | 'cookie';
    })
  | (ApostropheBase & Not<'apiKey' | 'apiKeyIn'> & ApostropheLoginOptions & {
      /** An existing bearer token. */
      token: string;
      mode?: 'bearer';
    })
  | (ApostropheBase & Not<'token' | 'mode' | 'getCredentials'> & {
      /** A key from the site's `apiKeys` config (`Authorization: ApiKey`). */
      apiKey: string;
      /** `query` sends the key as `?apikey=`, which lands in access logs; only when the header is impossible. @default 'header' */
      apiKeyIn?: 'header' | 'query';
    });

/** Apostrophe has no API-key endpoints: keys live in the site's configuration. */
export interface ApostropheClient extends AuthClient<ApostropheUser, ApostropheLogin> {
  readonly platform: 'apostrophe';
}

// ---- Coco Server ----

/** Coco's `GET /account/profile`. */
type CocoUserProfile = CocoSchemas['schemas']['CocoUserProfile'];
export interface CocoUser extends CocoUserProfile {}

export interface CocoLogin {
  email: string;
  password: string;
}

/** A new API token; `token` is shown this once. */
export interface CocoApiKey {
  /** Absent on servers before 0.11. */
  id?: string;
  token: string;
  expiresAt?: Date;
}

/** A listed API token (the secret itself is never listed). */
export interface CocoApiKeySummary {
  id: string;
  name?: string;
  description?: string;
  permissions?: string[];
  expiresAt?: Date;
}

export interface CocoApiKeyInput {
  /** Generated by the server when empty. */
  name?: string;
  description?: string;
  /** Permission keys (`category#resource/action`), a subset of the caller's; all of them by default. */
  permissions?: string[];
}

type CocoLoginOptions = {
  /** Called for a fresh login when the session expires or is refused; never store passwords instead. */
  getCredentials?: () => CocoLogin | Promise<CocoLogin>;
};
/** Coco options: a login session (bearer or cookie), a login JWT, or an API token — one of them. */
export type CocoOptions =
  | (ClientOptions & Not<'apiKey' | 'token'> & CocoLoginOptions & {
      /** What `login()` creates: a bearer JWT or the `INFINI-SESSION-*` cookie session. @default 'bearer' */
      mode?: 'bearer' | 'cookie';
    })
  | (ClientOptions & Not<'apiKey'> & CocoLoginOptions & {
      /** An existing login JWT. */
      token: string;
      mode?: 'bearer';
    })
  | (ClientOptions & Not<'token' | 'mode' | 'getCredentials'> & {
      /** An API token (`X-API-TOKEN`). */
      apiKey: string;
    });

export interface CocoClient extends AuthClient<CocoUser, CocoLogin> {
  readonly platform: 'coco';
  createApiKey(input?: CocoApiKeyInput, options?: CallOptions): Promise<CocoApiKey>;
  listApiKeys(query?: { query?: string; from?: number; size?: number }, options?: CallOptions): Promise<{ total: number; keys: CocoApiKeySummary[] }>;
  renameApiKey(id: string, name: string, options?: CallOptions): Promise<void>;
  /** Revokes a token at once. */
  deleteApiKey(id: string, options?: CallOptions): Promise<void>;
}

/** The contract paths of each client, for `createApi`. */
export type PathsOf<C> = C extends { platform: 'lowcoder' }
  ? LowcoderPaths
  : C extends { platform: 'apostrophe' }
    ? ApostrophePaths
    : C extends { platform: 'coco' }
      ? CocoPaths
      : never;
