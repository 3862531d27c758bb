// Every public type of the SDK, in one place. Generated contract types reach users through the named
// interfaces below, so hovers and messages show `CocoUser`, not a structure or a bundler's name.
import type { components as ApostropheSchemas, paths as ApostropheContractPaths } from '../generated/apostrophe.js';
import type { components as CocoSchemas, paths as CocoContractPaths } from '../generated/coco.js';
import type { components as LowcoderSchemas, paths as LowcoderContractPaths } from '../generated/lowcoder.js';
import type { CookieJar } from './auth/cookie-jar.js';
import type { AuthwireError, Platform } from './errors.js';
import type { SessionStore } from './session/store.js';

export type { Platform, SessionStore };

// The contract's path items carry no TSDoc of their own (openapi-typescript documents only the
// operations under them), so each platform's paths are documented here, as one type.
/**
 * Lowcoder's paths in the contract (`openapi.yaml`), keyed by path, with their operations'
 * parameters and answers; the type argument of `createApi` for a Lowcoder client.
 */
export type LowcoderPaths = LowcoderContractPaths;
/**
 * ApostropheCMS's login paths in the contract (`openapi.yaml`), keyed by path, with their
 * operations' parameters and answers; the type argument of `createApi` for an Apostrophe client.
 */
export type ApostrophePaths = ApostropheContractPaths;
/**
 * Coco Server's paths in the contract (`openapi.yaml`), keyed by path, with their operations'
 * parameters and answers; the type argument of `createApi` for a Coco client.
 */
export type CocoPaths = CocoContractPaths;

/** How a credential travels: a cookie, `Authorization: Bearer`, or the platform's API-key header. */
export type AuthMode = 'cookie' | 'bearer' | 'apiKey';

/** Session lifecycle events. `refreshed` follows an automatic re-login or a session taken from the store. */
export type AuthEvent = 'signedIn' | 'signedOut' | 'expired' | 'refreshed';

/** Receives one line per attempt and per retry: method, origin and path; never headers, bodies or queries. */
export interface Logger {
  /** One line per attempt and per retry. */
  debug?(message: string): void;
  /** Problems the call survives: a store or hook that failed after the fact, a retry given up. */
  warn?(message: string): void;
}

/** A request as the pipeline is about to send it. Hooks may add or change headers. */
export interface HookRequest {
  /** Upper-case HTTP method. */
  readonly method: string;
  /** The absolute URL, query included; the credential is never in it except with Apostrophe's `apiKeyIn: 'query'`. */
  readonly url: string;
  /** Lower-case names. Holds the credential: never log it. */
  headers: Record<string, string>;
}

/** Where a request stands, for hooks. */
export interface HookInfo {
  /** The platform of the client making the request. */
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
   * keeps them in Node. The browser entry (edge workers) takes a jar from `createCookieJar()` of
   * `authwire/cookie-jar`, which brings the code that drives it; a jar of your own needs the Node entry.
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
  /**
   * Milliseconds for each attempt of this call, body included; also bounds waits for a re-login.
   * @default the client's `timeout`
   */
  timeout?: number | undefined;
  /**
   * Retries of this call on transient failures.
   * @default the client's `maxRetries`
   */
  maxRetries?: number | undefined;
  /**
   * Retry this call on transient failures even though its method is not idempotent.
   * @default false
   */
  retrySafe?: boolean;
  /** Sent with this call only, over the client's `headers` (header values must be valid: no CR, LF or NUL). */
  headers?: Record<string, string>;
}

/** What a client knows about its session. Never holds the secret itself. */
export interface SessionInfo<U> {
  /** The platform of the client. */
  platform: Platform;
  /** How the credential travels. */
  mode: AuthMode;
  /** True when the client holds a credential it has not seen refused. */
  signedIn: boolean;
  /** When the credential expires, where the platform tells or the client can compute it. */
  expiresAt?: Date;
  /** The signed-in user, once known (after `login()` or `profile()`). */
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
  /** Which platform this client speaks to; narrows a client union. */
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

// ---- Acting for a browser user (forRequest) ----

/** Header values as a `Headers`, or as Node's `IncomingMessage['headers']`. */
export type IncomingHeaders = Headers | Record<string, string | string[] | undefined>;

/** What `forRequest()` reads the user's credential from: headers, or anything with `headers` (a fetch `Request`, Node's `IncomingMessage`). */
export type IncomingRequest = IncomingHeaders | { readonly headers: IncomingHeaders };

/** Options of `forRequest()`. */
export interface ForwardOptions {
  /**
   * Which credentials of the incoming request may be forwarded: the platform's session cookie,
   * its `Authorization` (or Coco's `X-API-TOKEN`) header, or either. Use `'cookie'` when the
   * `Authorization` header of requests to your back end is your own. When both arrive, the header
   * wins and the cookies stay behind: one credential per request.
   * @default 'any'
   */
  accept?: 'any' | 'cookie' | 'header';
}

/** What a per-request client adds: the platform's answers to relay to the browser. */
export interface ForwardedMembers {
  /**
   * The `Set-Cookie` lines the platform answered with so far, only its own cookies (the last one
   * per name), for your response to the browser: a new session after `login()`, a rolled session or
   * a new CSRF cookie, the cleared cookie after `logout()` (written here when the platform sends
   * none, as Lowcoder does). Values are secrets: never log them.
   */
  setCookies(): string[];
}

/** A client bound to one incoming request's credential (see `forRequest()`). */
export type ForwardedClient<C> = Omit<C, 'forRequest'> & ForwardedMembers;

/** Acting for the user of one incoming request (Node entry). */
export interface Forwarding<C> {
  /**
   * A short-lived client of the same platform that acts as the user of `incoming`: it sends only the
   * platform's own session cookie (and Apostrophe's CSRF cookie) or the `Authorization` header the
   * browser sent, never any other cookie; keeps them in a jar and memory store of its own (never
   * this client's store, never an automatic re-login); and collects the platform's `Set-Cookie`
   * lines for relaying. A call without a forwarded credential fails with `NotAuthenticatedError`
   * reason `not-forwarded`, a refused one with the platform's reason (`anonymous`, `signed-out`, …),
   * never as an anonymous call. `login()` works without one: it signs the user in for the browser.
   * Node entry only (it needs a cookie jar per request).
   *
   * @example
   * const forwarded = client.forRequest(req); // a fetch Request, Node's IncomingMessage or its headers
   * try {
   *   const me = await forwarded.profile();
   * } finally {
   *   for (const line of forwarded.setCookies()) res.appendHeader('set-cookie', line);
   * }
   */
  forRequest(incoming: IncomingRequest, options?: ForwardOptions): ForwardedClient<C>;
}


// ---- Lowcoder ----

type LowcoderUserDetail = Omit<LowcoderSchemas['schemas']['LowcoderUserDetail'], 'userAuth'>;
/** Lowcoder's current user (`GET /api/users/currentUser`); the OAuth `userAuth.jwt` is never kept. */
export interface LowcoderUser extends LowcoderUserDetail {
  /** The login provider of an SSO user, without its JWT; null for email logins. */
  userAuth?: { provider: string } | null;
}
type LowcoderApiKeyShape = LowcoderSchemas['schemas']['LowcoderApiKey'];
/** A new Lowcoder API key; `token` is shown this once. */
export interface LowcoderApiKey extends LowcoderApiKeyShape {}
type LowcoderApiKeySummaryShape = LowcoderSchemas['schemas']['LowcoderApiKeySummary'];
/** A listed Lowcoder API key; `token` is masked. */
export interface LowcoderApiKeySummary extends LowcoderApiKeySummaryShape {}

/** What Lowcoder's form login (`POST /api/auth/form/login`) takes. */
export interface LowcoderLogin {
  /** The account's login id: an email for the built-in email login. */
  email: string;
  /** Sent once, never kept. */
  password: string;
  /** Auth config id; `EMAIL` (the built-in email login) by default. */
  authId?: string;
  /** Org whose auth configs apply (SAAS mode) and to join or switch to. */
  orgId?: string;
  /** Join through this invitation after logging in. */
  invitationId?: string;
}

interface LowcoderBase extends ClientOptions {
  /**
   * The session cookie's name (the server's `LOWCODER_COOKIE_NAME`). With `sessionCookie` and no
   * `cookieName`, the client asks `GET /api/configs` once, before its first request.
   * @default 'LOWCODER_CE_SELFHOST_TOKEN'
   */
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
      /** Called for a fresh login when the copied session expires or is refused; never store passwords instead. */
      getCredentials?: () => LowcoderLogin | Promise<LowcoderLogin>;
    });

type LowcoderConfigs = LowcoderSchemas['schemas']['LowcoderConfigsResponse']['data'];
/** What `GET /api/configs` tells before any login: the cookie's name and the enabled login methods. */
export interface LowcoderServerInfo extends LowcoderConfigs {}

/** A password change: the old password is checked. */
export interface PasswordChange {
  /** The current password, which the server checks. */
  oldPassword: string;
  /** The password to set; the server's own rules apply. */
  newPassword: string;
}

/** A Lowcoder client: the session methods, API keys, passwords and the server's public configuration. */
export interface LowcoderClient extends AuthClient<LowcoderUser, LowcoderLogin>, Forwarding<LowcoderClient> {
  /** Always `'lowcoder'`. */
  readonly platform: 'lowcoder';
  /** Creates an API key with all of the caller's rights and no expiry; its token is shown once. */
  createApiKey(input: { name: string; description?: string }, options?: CallOptions): Promise<LowcoderApiKey>;
  /** The caller's API keys, tokens masked. */
  listApiKeys(options?: CallOptions): Promise<LowcoderApiKeySummary[]>;
  /** Revokes a key; unknown ids succeed too. */
  deleteApiKey(id: string, options?: CallOptions): Promise<void>;
  /**
   * Changes the password of the caller — the signed-in user, or with an API key **the key's owner**
   * (`PUT /api/users/password`). The server checks `oldPassword`: a wrong one (or an account without
   * a password, such as an SSO user) is `InvalidCredentialsError` (5608). Sessions and keys stay valid.
   */
  changePassword(input: PasswordChange, options?: CallOptions): Promise<void>;
  /**
   * Asks for the reset mail (`POST /api/users/lost-password`, anonymous). Always resolves: the server
   * answers alike whether the account exists and whether a mail was sent (that needs the org's SMTP).
   */
  requestPasswordReset(input: { email: string }, options?: CallOptions): Promise<void>;
  /**
   * Sets a new password with the token from the reset mail (`POST /api/users/reset-lost-password`,
   * anonymous, valid 12 h). A wrong or expired token is `InvalidCredentialsError` (5002); an unknown
   * email is `ApiError` (the server changes nothing).
   */
  resetPassword(input: { email: string; token: string; newPassword: string }, options?: CallOptions): Promise<void>;
  /** The server's public configuration (`GET /api/configs`), asked without any credential. */
  serverInfo(options?: CallOptions): Promise<LowcoderServerInfo>;
}

// ---- ApostropheCMS ----

type ApostropheWhoami = ApostropheSchemas['schemas']['ApostropheWhoami'];
/** Apostrophe's whoami fields: `_id`, `username`, `title`, `email` when set, plus the site's `whoamiFields`. */
export interface ApostropheUser extends ApostropheWhoami {}

/** What `requirement-props` returned for a requirement (`{}` when it has none). */
export type RequirementProps = Record<string, unknown>;

/**
 * `@apostrophecms/login-totp`'s props: on first use the account is not enrolled yet and the props
 * carry the base32 secret to enrol (`token`) and a label for the authenticator app (`identity`,
 * `<username>@<shortName>`); once enrolled they are `{}`. A new secret is made on every call until
 * a code for it has been verified.
 */
export interface AposTotpProps {
  /** The base32 secret to enrol; absent once the account is enrolled. */
  token?: string;
  /** The authenticator app's label, `<username>@<shortName>`; absent once enrolled. */
  identity?: string;
}

/** Answers one requirement: receives its props, returns the value to verify (a TOTP code…). */
export type RequirementAnswer<Props = RequirementProps> = (props: Props, requirement: { name: string }) => unknown;

/**
 * Login requirements by name. A function answers an `afterPasswordVerified` requirement in the
 * steps after the password; any other value is sent with the password for `beforeSubmit` and
 * `uponSubmit` requirements (a captcha response…).
 */
export interface ApostropheRequirements {
  /** `@apostrophecms/login-totp`: returns the current 6-digit code, enrolling with `props.token` on first use. */
  AposTotp?: RequirementAnswer<AposTotpProps>;
  [name: string]: unknown;
}

/** What Apostrophe's login (`POST /api/v1/@apostrophecms/login/login`) takes. */
export interface ApostropheLogin {
  /** Username or email. */
  username: string;
  /** Sent once, never kept. */
  password: string;
  /**
   * Login requirements by name: a value for `beforeSubmit`/`uponSubmit` ones (captcha…), a function
   * answering an `afterPasswordVerified` one (2FA) from its props, e.g. `AposTotp: (props) => code`.
   */
  requirements?: ApostropheRequirements;
}

interface ApostropheBase extends ClientOptions {
  /** The site's `bearerTokens.lifetime` in seconds, for `expiresAt`. @default 1209600 (14 days) */
  bearerLifetime?: number;
  /**
   * The site's `shortName`, which names its session cookie `<shortName>.sid` and CSRF cookie
   * `<shortName>.csrf`: `forRequest()` forwards exactly these. Needed for cookie forwarding.
   */
  shortName?: string;
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
      /** Only `'bearer'` with a token. @default 'bearer' */
      mode?: 'bearer';
    })
  | (ApostropheBase & Not<'token' | 'mode' | 'getCredentials'> & {
      /** A key from the site's `apiKeys` config (`Authorization: ApiKey`). */
      apiKey: string;
      /** `query` sends the key as `?apikey=`, which lands in access logs; only when the header is impossible. @default 'header' */
      apiKeyIn?: 'header' | 'query';
    });

/** Apostrophe has no API-key endpoints: keys live in the site's configuration. */
export interface ApostropheClient extends AuthClient<ApostropheUser, ApostropheLogin>, Forwarding<ApostropheClient> {
  /** Always `'apostrophe'`. */
  readonly platform: 'apostrophe';
}

// ---- Coco Server ----

type CocoUserProfile = CocoSchemas['schemas']['CocoUserProfile'];
/** Coco's signed-in user (`GET /account/profile`). */
export interface CocoUser extends CocoUserProfile {}

/** What Coco's login (`POST /account/login`) takes. */
export interface CocoLogin {
  /** The account's email. */
  email: string;
  /** Sent once, never kept. */
  password: string;
}

/** A new API token; `token` is shown this once. */
export interface CocoApiKey {
  /** Absent on servers before 0.11. */
  id?: string;
  /** The secret, sent as `X-API-TOKEN`; shown this once. */
  token: string;
  /** When the token stops working, when the server tells. */
  expiresAt?: Date;
}

/** A listed API token (the secret itself is never listed). */
export interface CocoApiKeySummary {
  /** The id for `renameApiKey` and `deleteApiKey`. */
  id: string;
  /** The token's name. */
  name?: string;
  /** The description given at creation. */
  description?: string;
  /** Permission keys (`category#resource/action`) the token carries. */
  permissions?: string[];
  /** When the token stops working. */
  expiresAt?: Date;
}

/** What `createApiKey` sends for a new Coco API token; every field is optional. */
export interface CocoApiKeyInput {
  /** Generated by the server when empty. */
  name?: string;
  /** Free text kept with the token. */
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
      /** Only `'bearer'` with a token. @default 'bearer' */
      mode?: 'bearer';
    })
  | (ClientOptions & Not<'token' | 'mode' | 'getCredentials'> & {
      /** An API token (`X-API-TOKEN`). */
      apiKey: string;
    });

type CocoSettings = CocoSchemas['schemas']['CocoApplicationSettings'];
/** What `GET /setting/application` tells before any login: setup state and the login methods offered. */
export interface CocoServerInfo extends CocoSettings {}

/** A Coco Server client: the session methods, API tokens, password change and the server's public settings. */
export interface CocoClient extends AuthClient<CocoUser, CocoLogin>, Forwarding<CocoClient> {
  /** Always `'coco'`. */
  readonly platform: 'coco';
  /**
   * Changes the password of the caller — the signed-in user, or with an API token **the token's
   * owner** (`PUT /account/password`). The server checks `oldPassword`: a wrong one is
   * `InvalidCredentialsError`. JWTs, cookies and API tokens already issued stay valid.
   */
  changePassword(input: PasswordChange, options?: CallOptions): Promise<void>;
  /** The server's public settings (`GET /setting/application`), asked without any credential. */
  serverInfo(options?: CallOptions): Promise<CocoServerInfo>;
  /** Creates an API token (`POST /auth/access_token`); its secret is shown once. */
  createApiKey(input?: CocoApiKeyInput, options?: CallOptions): Promise<CocoApiKey>;
  /** The caller's API tokens, a page at a time (`from`, `size`), filtered by `query`; never their secrets. */
  listApiKeys(query?: { query?: string; from?: number; size?: number }, options?: CallOptions): Promise<{ total: number; keys: CocoApiKeySummary[] }>;
  /** Gives a token a new name. */
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
