import { createCookieJar, type CookieJar } from '../auth/cookie-jar.js';
import { FORK, driveJar, type Forking } from '../auth/jar-driver.js';
import { configError } from '../client/config.js';
import { JAR_DRIVER } from '../client/platform.js';
import { NotAuthenticatedError, type Platform } from '../errors.js';
import { newSessionId, type SessionState } from '../session/state.js';
import { memoryStore } from '../session/store.js';
import { isOwnUrl } from '../transport/origin.js';
import type { CallOptions, ClientOptions, ForwardedClient, ForwardOptions, HookRequest, Hooks, IncomingRequest, LogoutResult } from '../types.js';
import { parseCookies, readIncoming } from './incoming.js';
import { isCookieValue, rulesFor, type ForwardRules } from './rules.js';

interface Forwardable {
  readonly platform: Platform;
  logout(options?: CallOptions): Promise<LogoutResult>;
  session(): Promise<{ mode: string }>;
  forRequest(incoming: IncomingRequest, options?: ForwardOptions): unknown;
}

/** The key of the forwarded session in its own memory store. */
const KEY = 'authwire:forwarded';
const ACCEPT = ['any', 'cookie', 'header'];

/** The request carries a credential: a header one, or the platform's session cookie. */
const carries = (request: HookRequest, rules: ForwardRules) =>
  !!request.headers.authorization ||
  !!request.headers['x-api-token'] ||
  parseCookies(request.headers.cookie ?? '').some(([name]) => rules.session(name));

/** A jar that keeps only the cookies the platform needs back (whatever else an answer sets stays out). */
function needsOnly(jar: CookieJar, rules: ForwardRules): CookieJar {
  const needed = (line: string) => {
    const name = line.slice(0, line.indexOf('=')).trim();
    return rules.session(name) || rules.companion(name);
  };
  return {
    ...jar,
    store: (url, lines) => jar.store(url, lines.filter(needed)),
    load: (url, lines) => jar.load(url, lines.filter(needed)),
    [FORK]: () => needsOnly(createCookieJar(), rules),
  } as CookieJar & Forking;
}

/**
 * A client from `factory` with a Node cookie jar and the code that drives it, whose `forRequest()`
 * builds per-request clients from the same options (the Node entry's clients).
 */
export function withForwarding<C extends Forwardable, O extends ClientOptions>(factory: (options: O) => C, options: O): C {
  const nodeClient = (given: O) => factory({ ...given, [JAR_DRIVER]: driveJar });
  const client = nodeClient({ cookies: createCookieJar(), ...options });
  client.forRequest = (incoming, forward) => forRequest(nodeClient, options, client.platform, incoming, forward);
  return client;
}

function forRequest<C extends Forwardable, O extends ClientOptions>(
  factory: (options: O) => C,
  parent: O,
  platform: Platform,
  incoming: IncomingRequest,
  { accept = 'any' }: ForwardOptions = {},
): ForwardedClient<C> {
  if (!ACCEPT.includes(accept)) throw configError(platform, '`accept` must be "any", "cookie" or "header".', 'forRequest');
  const read = readIncoming(incoming);
  if (!read) throw configError(platform, 'forRequest() takes a Headers, a Request, or a Node request or its headers.', 'forRequest');
  const rules = rulesFor(platform, parent as { cookieName?: string; shortName?: string }, accept !== 'header');
  // One credential: a header the browser's script set on purpose wins over cookies that ride along.
  const header = accept === 'cookie' ? undefined : rules.header(read);
  const cookies = header || accept === 'header' ? [] : parseCookies(read.cookie).filter(([name, value]) => (rules.session(name) || rules.companion(name)) && isCookieValue(value));
  const sessionNames = cookies.filter(([name]) => rules.session(name)).map(([name]) => name);
  const store = memoryStore();
  if (sessionNames.length) {
    const state: SessionState<unknown> = { id: newSessionId(), mode: 'cookie', cookies: cookies.map(([name, value]) => `${name}=${value}; Path=/`) };
    store.set(KEY, JSON.stringify(state));
  }

  const origin = new URL(parent.baseUrl).origin;
  const relay = new Map<string, string>();
  const { hooks } = parent;
  const own: Hooks = {
    async onRequest(request, info) {
      // Never an anonymous call in the user's name: only `login()` goes without a credential.
      if (info.operation !== 'login' && isOwnUrl(request.url, origin) && !carries(request, rules))
        throw new NotAuthenticatedError(`The incoming request carried no ${platform} credential to forward (session cookie or Authorization header).`, {
          platform,
          operation: info.operation,
          reason: 'not-forwarded',
        });
      await hooks?.onRequest?.(request, info);
    },
    async onResponse(response, info) {
      if (!response.url || isOwnUrl(response.url, origin))
        for (const line of response.headers.getSetCookie()) {
          const name = line.slice(0, line.indexOf('=')).trim();
          if (rules.own(name)) relay.set(name, line);
        }
      await hooks?.onResponse?.(response, info);
    },
    ...(hooks?.onError && { onError: (error, info) => hooks.onError!(error, info) }),
  };

  // Everything but the parent's credential, session and store: the forwarded credential replaces them.
  const { store: _store, storageKey: _key, cookies: _jar, getCredentials: _login, apiKey: _apiKey, token: _token, sessionCookie: _cookie, mode: _mode, apiKeyIn: _in, ...shared } =
    parent as O & Record<string, unknown>;
  const child = factory({
    ...shared,
    ...(header ?? (platform === 'lowcoder' ? {} : { mode: 'cookie' })),
    cookies: needsOnly(createCookieJar(), rules),
    store,
    storageKey: KEY,
    hooks: own,
  } as unknown as O);

  const logout = child.logout;
  child.logout = async (options) => {
    const cookieMode = (await child.session()).mode === 'cookie';
    const before = new Map(relay);
    const result = await logout(options);
    // Lowcoder answers a logout without Set-Cookie: the browser is told to drop the cookie all the same.
    if (cookieMode)
      for (const name of new Set([...sessionNames, ...[...relay.keys()].filter((n) => rules.session(n))]))
        if (relay.get(name) === before.get(name)) relay.set(name, `${name}=; Path=/; Max-Age=0`);
    return result;
  };
  delete (child as Partial<Forwardable>).forRequest;
  return Object.assign(child, { setCookies: () => [...relay.values()] }) as unknown as ForwardedClient<C>;
}
