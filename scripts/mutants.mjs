// One-line mutants for `npm run mutate` (scripts/mutate.mjs): each a plausible bug of a class the
// suite must catch. `find` must occur exactly once in `file` (else the mutant is STALE: bring it in
// step with src/); `replace` is what it becomes; `tests` are the vitest files that must catch it;
// `build: true` rebuilds dist/ first, for tests that run the built package (browser, Node e2e).
// Add a mutant for every class of bug fixed, with the test that would have caught it.

const SECURITY = 'test/sdk/security.test.ts';
const LEAKS = 'test/hardening/leak-scan.test.ts';
const PROPERTY = 'test/hardening/property.test.ts';
const REDIRECTS = 'test/redirects/redirects.test.ts';
const THIN = 'test/sdk/thin-spots.test.ts';
const SESSION = 'test/sdk/session.test.ts';
const RETRY = 'test/hardening/retry.test.ts';
const FAULTS = 'test/hardening/faults.test.ts';
const BODY = 'test/transport/body-limit-boundary.test.ts';
const APOSTROPHE = 'test/sdk/apostrophe.test.ts';
const LOWCODER = 'test/sdk/lowcoder.test.ts';
const COCO = 'test/sdk/coco.test.ts';
const BROWSER = 'test/e2e/browser.test.ts';
const LIFECYCLE = 'test/session/lifecycle.test.ts';

export default [
  // ── secrets out of errors ──
  {
    id: 'scrub-no-percent-form',
    class: 'scrub: the percent-encoded (encodeURIComponent) form of a secret is not removed',
    file: 'src/client/redact.ts',
    find: 'const encoded = [encodeURIComponent(secret), encodeURI(secret), new URLSearchParams([[\'\', secret]]).toString().slice(1)];',
    replace: 'const encoded = [encodeURI(secret), new URLSearchParams([[\'\', secret]]).toString().slice(1)];',
    tests: [SECURITY],
  },
  {
    id: 'scrub-no-form-form',
    class: 'scrub: the form-encoded (URLSearchParams) form of a secret is not removed',
    file: 'src/client/redact.ts',
    find: 'const encoded = [encodeURIComponent(secret), encodeURI(secret), new URLSearchParams([[\'\', secret]]).toString().slice(1)];',
    replace: 'const encoded = [encodeURIComponent(secret), encodeURI(secret)];',
    tests: [SECURITY],
  },
  {
    id: 'scrub-top-error-only',
    class: 'scrub: causes of an error are left as they are',
    file: 'src/client/redact.ts',
    find: 'current instanceof Error && depth < 5',
    replace: 'current instanceof Error && depth < 1',
    tests: [SECURITY],
  },
  {
    id: 'scrub-issued-cookies-ignored',
    class: 'scrub: cookies an answer just set (kept by no jar in bearer mode) are not treated as secrets',
    file: 'src/pipeline/run.ts',
    find: "x.secrets.push(...r.res.headers.getSetCookie().map((line) => line.slice(line.indexOf('=') + 1).split(';')[0]!));",
    replace: '',
    tests: [SECURITY],
  },
  {
    id: 'log-with-query',
    class: 'logs: the logged URL keeps its query string (an ?apikey=)',
    file: 'src/transport/send.ts',
    find: "req.url.replace(/\\?.*/, '')",
    replace: 'req.url',
    tests: [LEAKS],
  },
  {
    id: 'session-view-holds-secret',
    class: 'session(): the view carries the secret',
    file: 'src/client/core.ts',
    find: '    signedIn: !!state,',
    replace: '    signedIn: !!state, secret: state?.secret,',
    tests: [SECURITY],
  },
  // ── redirects ──
  {
    id: 'redirect-follow',
    class: 'redirects: fetch follows them (credentials go wherever Location points)',
    file: 'src/transport/send.ts',
    find: "redirect: 'manual',",
    replace: "redirect: 'follow',",
    tests: [REDIRECTS],
  },
  {
    id: 'redirect-default-mode',
    class: 'redirects: no redirect mode given (fetch defaults to follow)',
    file: 'src/transport/send.ts',
    find: "redirect: 'manual',",
    replace: '',
    tests: [REDIRECTS],
  },
  {
    id: 'redirect-not-an-error',
    class: 'redirects: a 3xx answer is not reported as InvalidResponseError',
    file: 'src/pipeline/errors.ts',
    find: 'if (status < 400 && status > 299)',
    replace: 'if (false)',
    tests: [REDIRECTS],
  },
  // ── credentials stay on their origin ──
  {
    id: 'origin-prefix-without-slash',
    class: 'own-origin check: a prefix test without the slash admits https://host.example.evil',
    file: 'src/transport/origin.ts',
    find: 'export const isOwnUrl = (url: string, origin: string) => url === origin || url.startsWith(`${origin}/`);',
    replace: 'export const isOwnUrl = (url: string, origin: string) => url.startsWith(origin);',
    tests: [THIN],
  },
  {
    id: 'origin-any',
    class: 'own-origin check: every origin gets the credential',
    file: 'src/pipeline/run.ts',
    find: 'const own = isOwnUrl(req.url, config.origin);',
    replace: 'const own = true;',
    tests: [THIN],
  },
  {
    id: 'plain-http-allowed',
    class: 'plain http to a non-loopback host accepted without allowInsecureHttp',
    file: 'src/transport/origin.ts',
    find: "export const isInsecure = (url: URL) => url.protocol === 'http:' && !isLoopback(url.hostname);",
    replace: 'export const isInsecure = (url: URL) => false;',
    tests: [SECURITY],
  },
  // ── the session ends: nothing of it is sent ──
  {
    id: 'jar-kept-on-session-end',
    class: 'cookie jar not cleared when the session ends',
    file: 'src/auth/jar-driver.ts',
    find: 'restore: (state) => (state?.cookies ? jar.load(home, state.cookies) : jar.clear()),',
    replace: 'restore: async (state) => void (state?.cookies && (await jar.load(home, state.cookies))),',
    tests: [THIN],
  },
  {
    id: 'session-end-skips-forget',
    class: 'cookie jar not cleared when the session ends (the session never asks)',
    file: 'src/session/lifecycle.ts',
    find: 'await deps.restore?.(undefined).catch(note);',
    replace: '',
    tests: [THIN],
  },
  {
    id: 'logout-keeps-stored-session',
    class: 'logout leaves the session in the store (the next client, or a reload, is still signed in)',
    file: 'src/session/lifecycle.ts',
    find: 'await held.commit(undefined, ctx).catch(note);',
    replace: '',
    tests: [THIN],
  },
  // ── expiry ──
  {
    id: 'expiry-boundary',
    class: 'expiry boundary: a session is still sent at now === expiresAt',
    file: 'src/session/state.ts',
    find: 'state.expiresAt !== undefined && now >= state.expiresAt',
    replace: 'state.expiresAt !== undefined && now > state.expiresAt',
    tests: [THIN],
  },
  {
    id: 'expiry-one-early',
    class: 'expiry boundary: a session is dropped at expiresAt - 1',
    file: 'src/session/state.ts',
    find: 'state.expiresAt !== undefined && now >= state.expiresAt',
    replace: 'state.expiresAt !== undefined && now >= state.expiresAt - 1',
    tests: [THIN],
  },
  {
    id: 'expired-session-kept',
    class: 'an expired (or refused) session is kept and no `expired` event fires',
    file: 'src/session/lifecycle.ts',
    find: 'await held.adopt(undefined, \'expired\');',
    replace: '',
    tests: [THIN],
  },
  // ── API keys never travel with a cookie ──
  {
    id: 'key-with-browser-cookies',
    class: 'API key / bearer requests include the browser cookies (credentials: include)',
    file: 'src/auth/attach.ts',
    find: 'out.credentials = \'omit\';',
    replace: 'out.credentials = \'include\';',
    tests: [BROWSER],
    build: true,
  },
  {
    id: 'key-with-cookie-header',
    class: 'API key / bearer requests keep a Cookie header',
    file: 'src/auth/attach.ts',
    find: 'if (\'cookie\' in out.headers) delete out.headers.cookie;',
    replace: '',
    tests: [LOWCODER],
  },
  {
    id: 'coco-key-as-bearer',
    class: 'API key placement: Coco tokens sent as Bearer (Coco refuses them)',
    file: 'src/auth/api-key.ts',
    find: "void (req.headers['x-api-token'] = key)",
    replace: 'void (req.headers.authorization = `Bearer ${key}`)',
    tests: [COCO],
  },
  // ── retries ──
  {
    id: 'retry-no-503',
    class: 'retries: a 503 is not retried',
    file: 'src/transport/retry.ts',
    find: 'const RETRY_STATUSES = [429, 502, 503, 504];',
    replace: 'const RETRY_STATUSES = [429, 502, 504];',
    tests: [RETRY],
  },
  {
    id: 'retry-post',
    class: 'retries: POST (logins, key creation) retried as if idempotent',
    file: 'src/transport/retry.ts',
    find: "const IDEMPOTENT = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE'];",
    replace: "const IDEMPOTENT = ['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'POST'];",
    tests: [RETRY],
  },
  {
    id: 'retry-one-too-many',
    class: 'retries: one attempt more than maxRetries on network errors',
    file: 'src/transport/send.ts',
    find: 'if (attempt >= maxRetries)',
    replace: 'if (attempt > maxRetries)',
    tests: [RETRY],
  },
  {
    id: 'retry-after-uncapped',
    class: 'retries: a Retry-After beyond a minute is waited for',
    file: 'src/transport/send.ts',
    find: 'if ((asked ?? 0) <= MAX_RETRY_AFTER_MS) {',
    replace: 'if (true) {',
    tests: [RETRY],
  },
  // ── bodies and time ──
  {
    id: 'body-limit-streamed',
    class: 'body limit: a body without Content-Length is read beyond the limit',
    file: 'src/transport/read.ts',
    find: 'if (size > limit) {',
    replace: 'if (size > limit * 2) {',
    tests: [BODY],
  },
  {
    id: 'body-limit-off-by-one',
    class: 'body limit: a body of exactly the limit is refused',
    file: 'src/transport/read.ts',
    find: 'if (size > limit) {',
    replace: 'if (size >= limit) {',
    tests: [BODY],
  },
  {
    id: 'timeout-as-network-error',
    class: 'timeout: an attempt that runs out of time is reported as a network error',
    file: 'src/transport/send.ts',
    find: 'if (timer?.aborted && !received) throw new TimeoutError(',
    replace: 'if (false) throw new TimeoutError(',
    tests: [FAULTS],
  },
  // ── CSRF and re-login ──
  {
    id: 'csrf-no-priming',
    class: 'CSRF: a refused write is not cured by fetching the CSRF cookie',
    file: 'src/pipeline/run.ts',
    find: 'if (verdict?.kind === \'csrf\' && wire.csrfPrime && mode === \'cookie\' && req.method !== \'GET\' && isReplayable(req.body)) {',
    replace: 'if (false) {',
    tests: [APOSTROPHE],
  },
  {
    id: 'relogin-not-single-flight',
    class: 're-login: concurrent refusals each log in',
    file: 'src/session/lifecycle.ts',
    find: '    if (!recovery) {',
    replace: '    if (true) {',
    tests: [SESSION],
  },
  {
    id: 'relogin-no-replay',
    class: 're-login: the refused request is not replayed after a new session',
    file: 'src/pipeline/run.ts',
    find: 'if (!(await session.recover(held?.id, ctx, budget)) || !replayable) return answer;',
    replace: 'return answer;',
    tests: [SESSION],
  },
  {
    id: 'failed-login-keeps-cleared-jar',
    class: 'a failed cookie login loses the previous session cookies',
    file: 'src/auth/jar-driver.ts',
    find: 'return { ...driveJar(scratch, baseUrl)!, take: async (url, lines) => void (await scratch.store(url, lines)) };',
    replace: 'void jar.clear(); return { ...driveJar(scratch, baseUrl)!, take: async (url, lines) => void (await scratch.store(url, lines)) };',
    tests: [THIN],
  },
  // ── this round: timeouts, createApi, the jar driver ──
  {
    id: 'deadline-window-unbounded',
    class: 'one timeout signal shared by every request of a window (each Request leaves a listener on it)',
    file: 'src/transport/deadline.ts',
    find: 'if (!open || now >= open.closesAt || open.left === 0) {',
    replace: 'if (!open || now >= open.closesAt) {',
    tests: ['test/transport/deadline.test.ts'],
  },
  {
    id: 'logout-recovers-first',
    class: 'a refused logout through createApi logs in again first (sends the password to log out)',
    file: 'src/pipeline/run.ts',
    find: "if (verdict?.kind === 'refused' && !x.as && x.role !== 'logout' && (held || wire.relogin)) {",
    replace: "if (verdict?.kind === 'refused' && !x.as && (held || wire.relogin)) {",
    tests: [APOSTROPHE],
  },
  {
    id: 'api-without-operation-quirks',
    class: 'a createApi call to a declared operation reads its answers without that operation\'s quirks',
    file: 'src/api.ts',
    find: 'role: own ? roleOf(url.pathname.slice(basePath.length)) : undefined,',
    replace: 'role: undefined,',
    tests: [APOSTROPHE],
  },
  {
    id: 'api-userinfo-url-untyped',
    class: 'a createApi URL with userinfo fails as a misleading NetworkError (after retries), not a ConfigurationError',
    file: 'src/api.ts',
    find: 'if (url.username || url.password)',
    replace: 'if (false)',
    tests: [THIN],
  },
  {
    id: 'cookie-jar-without-driver',
    class: 'the browser entry ignores a jar from createCookieJar() (cookie sessions fail in edge workers)',
    file: 'src/client/core.ts',
    find: 'const drive = options[JAR_DRIVER] ?? (options.cookies as { [JAR_DRIVER]?: DriveJar } | undefined)?.[JAR_DRIVER];',
    replace: 'const drive = options[JAR_DRIVER];',
    tests: [COCO],
  },
  {
    id: 'issued-token-forgotten',
    class: 'a token from a login whose check failed appears in a later error that echoes it (the random soak found it)',
    file: 'src/pipeline/run.ts',
    find: "return [state?.secret ?? '', ...((await wire.jar?.secrets()) ?? []), ...((await x.jar?.secrets()) ?? []), ...sent, ...wire.known];",
    replace: "return [state?.secret ?? '', ...((await wire.jar?.secrets()) ?? []), ...((await x.jar?.secrets()) ?? []), ...sent];",
    tests: [COCO],
  },
  {
    id: 'signed-session-id-unscrubbed',
    class: "the bare id of a signed session cookie (Apostrophe's `s:<id>.<signature>`) echoed by a failing answer reaches the error",
    file: 'src/client/redact.ts',
    find: "for (const form of [...forms]) forms.add(/^s:([^.]+)\\./.exec(form)?.[1] ?? '');",
    replace: '',
    tests: [SECURITY],
  },
  {
    id: 'commit-outlives-logout',
    class: 'a login or re-login whose store write is pending when logout() runs still commits (the token spreads to the fleet)',
    file: 'src/session/held.ts',
    find: 'if (stale?.()) {',
    replace: 'if (stale?.() && false) {',
    tests: [LIFECYCLE],
  },
  {
    id: 'cookie-login-in-the-session-jar',
    class: "a cookie login gathers its cookies in the session's jar (a logout meanwhile sends the new login's cookie, calls meanwhile lose theirs)",
    file: 'src/auth/jar-driver.ts',
    find: 'const scratch = (jar as Partial<Forking>)[FORK]?.() ?? createCookieJar();',
    replace: 'const scratch = jar;',
    tests: [LIFECYCLE],
  },
  {
    id: 'preparation-ignores-the-call',
    class: "preparing a handed-in credential (Lowcoder's cookie name) waits past the call's timeout and signal",
    file: 'src/session/lifecycle.ts',
    find: 'await held.load(ctx, budget);',
    replace: 'await held.load(ctx);',
    tests: [LOWCODER],
  },
  {
    id: 'deadline-timer-overflow',
    class: 'the longest timeout allowed overflows the timer, which then fires at once',
    file: 'src/transport/deadline.ts',
    find: '}, Math.min(timeout + slack, MAX_TIMER_MS));',
    replace: '}, timeout + slack);',
    tests: ['test/transport/deadline.test.ts'],
  },
  {
    id: 'api-headers-unchecked',
    class: 'a createApi header no request can carry fails inside openapi-fetch as a raw TypeError quoting its value',
    file: 'src/api.ts',
    find: 'api[method] = ((url: string, init?: CallInit) => refused(`${method} ${url}`, init) ?? send(url, init)) as never;',
    replace: 'api[method] = send as never;',
    tests: ['test/sdk/api-seam.test.ts'],
  },
];
