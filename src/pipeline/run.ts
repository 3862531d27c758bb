import { attach, hasBrowserCookies, type Carrier } from '../auth/attach.js';
import type { JarDriver } from '../auth/jar-driver.js';
import type { Config } from '../client/config.js';
import { scrub } from '../client/redact.js';
import { AuthwireError, ConfigurationError, type ErrorContext } from '../errors.js';
import type { Lifecycle } from '../session/lifecycle.js';
import { bodyOf } from '../transport/read.js';
import { isIdempotent } from '../transport/retry.js';
import { isReplayable, send, type Outgoing, type Received } from '../transport/send.js';
import { isOwnUrl } from '../transport/origin.js';
import type { Budget } from '../transport/within.js';
import type { AuthMode, CallOptions, HookInfo } from '../types.js';
import type { Role, Verdict } from './operation.js';

/** What the pipeline needs of a client: its checked options, session, and how its platform speaks. */
export interface Wire<U> extends Carrier {
  config: Config;
  session: Lifecycle<U>;
  /** Credentials this client held or was issued, kept out of errors after the session dropped them (see `know`). */
  known: Set<string>;
  /** The mode of sessions this client's `login()` creates. */
  mode: AuthMode;
  /** True when a refused credential can be replaced by logging in again. */
  relogin: boolean;
  classify(status: number, body: unknown, role: Role | undefined): Verdict | undefined;
  /** Apostrophe: the GET that sets the CSRF cookie a cookie-session write needs. */
  csrfPrime?: string;
}

/** One request through the pipeline. */
export interface Exchange {
  /** The SDK operation, or `METHOD /path` for `createApi` calls. */
  operation: string;
  role?: Role | undefined;
  /** False: no credential (login). */
  auth: boolean;
  /** Send exactly this credential and never recover: login's check of a new credential, and logout. */
  as?: { mode: AuthMode; secret?: string | undefined } | undefined;
  call: CallOptions;
  /** Strings to keep out of errors (a login's password). */
  secrets: string[];
  /** Outside the session (a lookup made while the session is prepared): takes no cookies, reads no session. */
  detached?: boolean;
  /** A login's own cookie jar, used instead of the client's (see `JarDriver.staged`). */
  jar?: JarDriver;
}

/** A complete answer and how the platform reads it. */
export interface Answer extends Received {
  verdict: Verdict | undefined;
  /** A credential went with the request (so a refusal is about it, not about its absence). */
  credentialSent: boolean;
}

/**
 * The request pipeline every call takes, top to bottom:
 * authenticate → hook → send (timeouts, retries, body limit) → take cookies → hook → classify →
 * on a refused credential recover (re-login or a newer session), on a refused CSRF cookie prime it →
 * replay once. Answers of any status are returned; transport failures throw typed errors.
 */
export async function exchange<U>(wire: Wire<U>, req: Outgoing, x: Exchange): Promise<Answer> {
  const { config, session } = wire;
  const ctx: ErrorContext = { platform: config.platform, operation: x.operation };
  const budget: Budget = { timeout: x.call.timeout ?? config.timeout, signal: x.call.signal };
  // Credentials only ever go to the configured origin (`createApi` accepts absolute URLs).
  const own = isOwnUrl(req.url, config.origin);
  const authed = own && x.auth;
  let held: { mode: AuthMode; secret?: string | undefined; id?: string } | undefined = x.as;
  if (authed && !held) held = await session.current(ctx, budget);
  const mode = held?.mode ?? wire.mode;
  const carrier = x.jar ? { ...wire, jar: x.jar } : wire;
  if (own && mode === 'cookie' && !wire.jar && !hasBrowserCookies())
    throw new ConfigurationError('Cookie sessions outside browsers need a cookie jar: the Node entry has one, elsewhere pass `cookies: createCookieJar()` from authwire/cookie-jar.', ctx);
  for (let replay = 0; ; replay++) {
    const info: HookInfo = { platform: config.platform, operation: x.operation, replay };
    const out: Outgoing = { ...req, headers: { ...req.headers } };
    if (authed) {
      await attach(out, mode, held?.secret, carrier);
      x.secrets.push(held?.secret ?? '', out.headers.cookie ?? '');
      know(wire, held?.secret);
    } else if (own && mode === 'cookie') out.credentials = wire.credentials;
    await config.hooks?.onRequest?.(out, info);
    const r = await send(
      out,
      {
        fetch: config.fetch?.(),
        timeout: budget.timeout,
        maxRetries: x.call.maxRetries ?? config.maxRetries,
        retrySafe: x.call.retrySafe,
        signal: budget.signal,
        logger: config.logger,
        now: config.now,
        limit: config.maxBodyBytes,
      },
      ctx,
    );
    x.secrets.push(...r.res.headers.getSetCookie().map((line) => line.slice(line.indexOf('=') + 1).split(';')[0]!));
    if (own && mode === 'cookie' && !x.detached) await carrier.jar?.take(out.url, r.res.headers.getSetCookie(), session, ctx);
    await config.hooks?.onResponse?.(r.res, info);
    const verdict = wire.classify(r.res.status, bodyOf(r), x.role);
    const answer: Answer = Object.assign(r, { verdict, credentialSent: authed && (!!held?.secret || mode === 'cookie') });
    if (replay || !authed) return answer;
    const replayable = isReplayable(req.body) && (isIdempotent(req.method) || !!verdict?.unrun);
    // An explicit credential (a login's check, logout) is never replaced by recovery, and logging
    // out never logs in first.
    if (verdict?.kind === 'refused' && !x.as && x.role !== 'logout' && (held || wire.relogin)) {
      if (!(await session.recover(held?.id, ctx, budget)) || !replayable) return answer;
      held = await session.current(ctx, budget);
      if (!held) return answer;
      continue;
    }
    // Safe methods never need the CSRF cookie, so the priming GET cannot loop.
    if (verdict?.kind === 'csrf' && wire.csrfPrime && mode === 'cookie' && req.method !== 'GET' && isReplayable(req.body)) {
      await exchange(wire, { method: 'GET', url: config.baseUrl + wire.csrfPrime, headers: {} }, { ...x, operation: 'csrf', as: { mode } });
      continue;
    }
    return answer;
  }
}

/** How many past credentials a client keeps out of its errors; the oldest goes first. */
const KNOWN = 16;

/**
 * Remembers a credential the client holds or was issued: a token from a login whose check failed,
 * or one a refusal dropped, must stay out of later errors that echo it (a proxy page, a network
 * error's text), though no session holds it any more.
 */
export function know<U>(wire: Wire<U>, secret: string | undefined) {
  if (!secret || wire.known.has(secret)) return;
  wire.known.add(secret);
  if (wire.known.size > KNOWN) wire.known.delete(wire.known.values().next().value!);
}

/**
 * Everything that must not appear in an error: the session's credential, the jar's cookies, and
 * what the call sent or was given. Gathered only when an error is thrown.
 */
export async function secretsOf<U>(wire: Wire<U>, x: Exchange): Promise<string[]> {
  const state = x.detached ? undefined : wire.session.peek();
  const sent = x.secrets.flatMap((s) => [s, ...s.split(/;\s*/).map((pair) => pair.slice(pair.indexOf('=') + 1))]);
  return [state?.secret ?? '', ...((await wire.jar?.secrets()) ?? []), ...((await x.jar?.secrets()) ?? []), ...sent, ...wire.known];
}

/** Scrubs and reports a failure, so every error leaving the pipeline is typed and free of secrets. */
export async function fail<U>(wire: Wire<U>, x: Exchange, error: unknown): Promise<never> {
  const ctx: ErrorContext = { platform: wire.config.platform, operation: x.operation };
  const clean = scrub(error, await secretsOf(wire, x));
  if (clean instanceof AuthwireError) await wire.config.hooks?.onError?.(clean, { ...ctx, replay: 0 });
  throw clean;
}
