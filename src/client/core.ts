import { NotAuthenticatedError, type ErrorContext } from '../errors.js';
import { expect } from '../pipeline/check.js';
import { answered, errorFor } from '../pipeline/errors.js';
import { fillPath, type Operation } from '../pipeline/operation.js';
import { exchange, fail, know, type Answer, type Exchange, type Wire } from '../pipeline/run.js';
import { createLifecycle } from '../session/lifecycle.js';
import { newSessionId, type SessionState } from '../session/state.js';
import { bodyOf, textOf } from '../transport/read.js';
import { within } from '../transport/within.js';
import type { AuthClient, AuthEvent, CallOptions, LogoutResult, SessionInfo } from '../types.js';
import { checkCall, configError, resolveConfig } from './config.js';
import type { DriveJar } from '../auth/jar-driver.js';
import { JAR_DRIVER, type CoreInit, type Input, type LoginSteps } from './platform.js';

/** Symbol under which a client carries its pipeline, for `createApi` (shared across copies of the package). */
export const CORE = Symbol.for('authwire.core');

/** The shared machinery of every platform client: session, pipeline, and the members all clients have. */
export function createCore<U, Login>({ def, options, mode, initial, prepare }: CoreInit<U, Login>) {
  const config = resolveConfig(def.platform, options);
  const { platform, now, baseUrl } = config;
  // Only the Node entry hands in the code that drives a cookie jar, so browser bundles never carry it.
  // The Node entry hands the driver in; a jar from createCookieJar() carries it, for runtimes that
  // load the browser entry without keeping cookies (edge workers).
  const drive = options[JAR_DRIVER] ?? (options.cookies as { [JAR_DRIVER]?: DriveJar } | undefined)?.[JAR_DRIVER];
  const jar = drive?.(options.cookies, baseUrl);
  const getCredentials = options.getCredentials;
  if (getCredentials !== undefined && typeof getCredentials !== 'function') throw configError(platform, '`getCredentials` must be a function.');
  const listeners = new Set<[AuthEvent, (session: SessionInfo<U>) => void]>();
  const ctxOf = (operation: string): ErrorContext => ({ platform, operation });

  const info = (state: SessionState<U> | undefined): SessionInfo<U> => ({
    platform,
    mode: state?.mode ?? mode,
    signedIn: !!state,
    ...(state?.expiresAt && { expiresAt: new Date(state.expiresAt) }),
    ...(state?.user && { user: state.user }),
  });

  const session = createLifecycle<U>({
    store: config.store,
    key: config.storageKey,
    now,
    loginMs: (config.timeout || 30_000) * (config.maxRetries + 1) + 5_000,
    initial: initial && { ...initial, id: newSessionId() },
    prepare,
    emit(event, state) {
      const payload = info(state);
      for (const [name, listener] of [...listeners])
        if (name === event)
          try {
            listener(payload);
          } catch (error) {
            config.logger?.warn?.(`authwire ${platform} listener for ${event} failed: ${String(error)}`);
          }
    },
    ...(jar && { restore: jar.restore }),
    relogin:
      getCredentials &&
      (async (budget) => signIn(await within(Promise.resolve().then(getCredentials), budget, ctxOf('login')), budget)),
  });

  const wire: Wire<U> = {
    config,
    session,
    mode,
    relogin: !!getCredentials && initial?.mode !== 'apiKey',
    known: new Set(),
    platform,
    jar,
    credentials: config.credentials,
    place: def.place,
    classify: def.classify,
    ...(def.csrfPrime && { csrfPrime: def.csrfPrime }),
  };

  /** One high-level call: the operation's request through the pipeline, a typed error, or the checked body. */
  async function call<T>(op: Operation, input: Input = {}, callOptions?: CallOptions, as?: Exchange['as']): Promise<{ body: T; answer: Answer }> {
    const x: Exchange = {
      operation: op.name,
      role: op.role,
      auth: op.auth !== false,
      as,
      call: {},
      secrets: [...(input.secrets ?? [])],
      ...(input.detached && { detached: true }),
      ...(input.jar && { jar: input.jar }),
    };
    try {
      x.call = checkCall(platform, callOptions, op.name);
      const headers: Record<string, string> = { ...config.headers };
      for (const [name, value] of Object.entries(x.call.headers ?? {})) headers[name.toLowerCase()] = value;
      headers.accept = 'application/json';
      if (input.json !== undefined) headers['content-type'] = 'application/json';
      const query = Object.entries(input.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
      const url = baseUrl + fillPath(platform, op, input.params) + (query.length ? `?${new URLSearchParams(query)}` : '');
      const body = input.json === undefined ? undefined : JSON.stringify(input.json);
      const answer = await exchange(wire, { method: op.method, url, headers, body }, x);
      const refusedWithout = answer.verdict?.kind === 'refused' && !answer.credentialSent && session.ended;
      const error = errorFor(answer, refusedWithout ? { ...answer.verdict!, reason: refusedWithout } : answer.verdict, ctxOf(op.name));
      if (error) throw error;
      const parsed = bodyOf(answer);
      return { body: (!op.check || op.check(parsed) ? parsed : expect(parsed, op.check, answered(answer, ctxOf(op.name)))) as T, answer };
    } catch (error) {
      return fail(wire, x, error);
    }
  }

  /**
   * The flow every platform shares: log in, check the new credential by reading the user, build the
   * session. A cookie login (Node) gathers its cookies in a jar of its own (`JarDriver.staged`).
   */
  async function signIn(input: Login, callOptions: CallOptions | undefined): Promise<SessionState<U>> {
    const ctx = ctxOf('login');
    if (typeof input !== 'object' || input === null) throw configError(platform, 'Login input must be an object.', 'login');
    const staged = jar && mode === 'cookie' ? jar.staged() : undefined;
    const request = def.loginRequest(input, mode);
    const { body, answer } = await call<unknown>(def.ops.login, { ...request, secrets: [request.secret], jar: staged }, callOptions);
    const post: LoginSteps<Login>['post'] = async (operation, path, json, secrets) =>
      (await call<unknown>({ name: operation, method: 'POST', path }, { json, secrets, jar: staged }, callOptions, { mode: 'cookie' })).body;
    const credential = await def.credential(body, answer, mode, now(), answered(answer, ctx), { input, post });
    know(wire, credential.secret);
    let user: U | undefined;
    try {
      user = def.user((await call<unknown>(def.ops.profile, { jar: staged }, callOptions, { mode, secret: credential.secret })).body);
    } catch (error) {
      if (!(error instanceof NotAuthenticatedError) || !def.unverified) throw error;
      def.unverified(error, mode);
    }
    return {
      id: newSessionId(),
      mode,
      ...credential,
      ...(user && { user }),
      ...(staged && { cookies: await staged.cookies() }),
    };
  }

  /** The profile answer last reconciled with the session, so an unchanged user costs no serialising and no store write. */
  let seen: { id: string; text: string } | undefined;
  const serialise = (value: unknown) => {
    try {
      return JSON.stringify(value);
    } catch {
      // Too deep to serialise: the store write that follows fails with a typed error.
      return undefined;
    }
  };

  /** Records the user a profile call returned; a browser cookie session found this way (after a reload) becomes the session. */
  async function remember(user: U, text: string) {
    const ctx = ctxOf('profile');
    const state = await session.get(ctx);
    if (state) {
      if (seen?.id === state.id && seen.text === text) return;
      const json = serialise(user);
      if (json === undefined || json !== serialise(state.user)) await session.update({ ...state, user }, ctx);
      seen = { id: state.id, text };
    } else if (mode === 'cookie' && session.ended !== 'logged-out')
      await session.signIn(async () => ({ id: newSessionId(), mode: 'cookie', user }), ctx);
  }

  const members: AuthClient<U, Login> & { forRequest(): never; [CORE]: typeof core } = {
    platform,
    on(event, listener) {
      const entry: [AuthEvent, (session: SessionInfo<U>) => void] = [event, listener];
      listeners.add(entry);
      return () => void listeners.delete(entry);
    },
    session: async () => info(await session.get(ctxOf('session')).catch(() => undefined)),
    async credential() {
      const state = await session.get(ctxOf('credential'));
      return state?.secret ?? (state?.mode === 'cookie' && jar ? await jar.credential() : undefined);
    },
    async login(input, callOptions) {
      // A handed-in credential is loaded first, so its cookies cannot land in the jar after the new ones.
      await session.get(ctxOf('login'));
      return info(await session.signIn(() => signIn(input, callOptions), ctxOf('login')));
    },
    async profile(callOptions) {
      const { body, answer } = await call<unknown>(def.ops.profile, {}, callOptions);
      const user = def.user(body);
      await remember(user, textOf(answer));
      return user;
    },
    async logout(callOptions) {
      let serverRevoked = false;
      const error = await session.signOut(async (held) => {
        const used = held?.mode ?? mode;
        await call(def.ops.logout, {}, callOptions, { mode: used, secret: held?.secret });
        serverRevoked = def.revokes(used);
      }, ctxOf('logout'));
      const result: LogoutResult = { serverRevoked };
      if (error) result.error = error;
      return result;
    },
    // The Node entry replaces this (src/forward/): forwarding needs a cookie jar per request.
    forRequest: () => {
      throw configError(platform, 'forRequest() needs the Node entry (a cookie jar per request).', 'forRequest');
    },
    [CORE]: undefined as never,
  };
  const core = { wire, call, members, ops: def.ops };
  Object.defineProperty(members, CORE, { value: core, enumerable: false });
  return core;
}

