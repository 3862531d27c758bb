// forRequest() against a real ApostropheCMS: a back end acting for a browser user with the cookies
// or the header that user's browser sent. The browser is the built SDK in cookie or bearer mode;
// the back end's calls go through validatingFetch, so every real answer is checked against
// openapi.yaml as well.
import { describe, expect, inject, it } from 'vitest';
import { FOREIGN_COOKIES, cookiePairs } from '../forward/support.js';
import { ADMIN_KEY, USER_PASSWORD } from './sites.js';
import { builtPackage, trace, validatingFetch } from './wire.js';

const { apostrophe, createApi, createCookieJar, NotAuthenticatedError } = await builtPackage();
const { sites, version } = inject('apostrophe');
const wire = validatingFetch('forward suite');
const WHOAMI = '/api/v1/@apostrophecms/login/whoami';
const user = { username: 'forward', password: USER_PASSWORD };
/** The back end's client: its own API key, which a forwarded client must never send. */
const backEnd = () => apostrophe({ baseUrl: sites.plain.url, apiKey: ADMIN_KEY, shortName: 'apos', fetch: wire.fetch, maxRetries: 0 });
/** What the site thinks of a `Cookie` header now, asked outside the SDK. */
const whoamiWith = (cookie: string) => wire.fetch(`${sites.plain.url}${WHOAMI}`, { headers: { cookie } });

/** A browser signed in with a cookie session: the `apos.*` cookies it holds, CSRF cookie included. */
async function browserCookies() {
  const browser = apostrophe({ baseUrl: sites.plain.url, mode: 'cookie', cookies: createCookieJar(), maxRetries: 0 });
  await browser.login(user);
  await browser.profile(); // a GET: the site sets the CSRF cookie
  const pairs = (await browser.credential())!.split('; ');
  const get = (name: string) => pairs.find((pair) => pair.startsWith(`apos.${name}=`))!;
  return { sid: get('sid'), csrf: get('csrf'), browser };
}

describe(`forRequest() against ApostropheCMS ${version}`, () => {
  it('acts as the browser’s user with exactly its `apos.sid` and `apos.csrf`, never the back end’s key or other cookies', async () => {
    const { sid, csrf } = await browserCookies();
    const from = wire.exchanges.length;
    const forwarded = backEnd().forRequest(new Headers({ cookie: `${FOREIGN_COOKIES}; ${sid}; ${csrf}; apos.loggedIn=true` }));
    expect(await forwarded.profile()).toMatchObject({ username: 'forward' });
    const sent = wire.exchanges.slice(from);
    expect(trace(wire.exchanges, from)).toEqual([`GET ${WHOAMI} → 200`]);
    expect(cookiePairs(sent[0]!.request.headers.get('cookie')).sort()).toEqual([csrf, sid].sort());
    expect(sent[0]!.request.headers.get('authorization')).toBeNull();
  });

  it('writes with the browser’s CSRF cookie; without one it fetches the cookie first and hands it back to relay', async () => {
    const { sid, csrf } = await browserCookies();
    const from = wire.exchanges.length;
    const withCsrf = backEnd().forRequest({ cookie: `${sid}; ${csrf}` });
    expect((await createApi(withCsrf).POST(WHOAMI)).response.status).toBe(200);
    expect(trace(wire.exchanges, from)).toEqual([`POST ${WHOAMI} → 200`]);

    // The site itself refuses that write without the CSRF cookie (the proof the cookie matters).
    const bare = await wire.fetch(`${sites.plain.url}${WHOAMI}`, { method: 'POST', headers: { cookie: sid } });
    expect(bare.status).toBe(403);

    const without = backEnd().forRequest({ cookie: sid });
    const next = wire.exchanges.length;
    expect((await createApi(without).POST(WHOAMI)).response.status).toBe(200);
    expect(trace(wire.exchanges, next)).toEqual([`POST ${WHOAMI} → 403`, `GET ${WHOAMI} → 200`, `POST ${WHOAMI} → 200`]);
    const relayed = without.setCookies();
    expect(relayed.some((line) => line.startsWith('apos.csrf='))).toBe(true);
    expect(relayed.every((line) => line.startsWith('apos.'))).toBe(true);
  });

  it('forwards a bearer token the browser’s script sent, and the header wins over cookies riding along', async () => {
    const browser = apostrophe({ baseUrl: sites.plain.url, fetch: wire.fetch, maxRetries: 0 });
    await browser.login(user);
    const token = (await browser.credential())!;
    const from = wire.exchanges.length;
    const forwarded = backEnd().forRequest({ authorization: `Bearer ${token}`, cookie: 'apos.sid=s%3Anot-a-session.x' });
    expect(await forwarded.profile()).toMatchObject({ username: 'forward' });
    const sent = wire.exchanges.at(-1)!.request;
    expect(trace(wire.exchanges, from)).toEqual([`GET ${WHOAMI} → 200`]);
    expect(sent.headers.get('authorization')).toBe(`Bearer ${token}`);
    expect(sent.headers.get('cookie')).toBeNull();
    await browser.logout();
  });

  it('a logout through the forwarded client ends the browser’s session on the site, and the cleared cookies are relayed', async () => {
    const { sid, csrf, browser } = await browserCookies();
    const forwarded = backEnd().forRequest({ cookie: `${sid}; ${csrf}` });
    expect(await forwarded.logout()).toEqual({ serverRevoked: true });
    expect((await whoamiWith(sid)).status).toBe(404);
    expect(await browser.profile().catch((e: unknown) => e)).toBeInstanceOf(NotAuthenticatedError);
    const relayed = forwarded.setCookies();
    expect(relayed.find((line) => line.startsWith('apos.sid='))).toMatch(/Expires=Thu, 01 Jan 1970|Max-Age=0/i);
  });

  it('a request without a credential sends nothing; a forged session cookie is refused, never answered as someone', async () => {
    const from = wire.exchanges.length;
    const none = await backEnd()
      .forRequest({ cookie: FOREIGN_COOKIES })
      .profile()
      .catch((e: unknown) => e);
    expect(none).toMatchObject({ name: 'NotAuthenticatedError', reason: 'not-forwarded' });
    expect(wire.exchanges.length).toBe(from);

    const { sid } = await browserCookies();
    // The session id without the site's signature over it: express-session rejects it.
    const unsigned = `apos.sid=${encodeURIComponent(decodeURIComponent(sid.slice('apos.sid='.length)).replace(/\.[^.]*$/, '.forged'))}`;
    const forged = await backEnd()
      .forRequest({ cookie: unsigned })
      .profile()
      .catch((e: unknown) => e);
    expect(forged).toBeInstanceOf(NotAuthenticatedError);
    expect(forged).toMatchObject({ reason: 'signed-out', status: 404 });
    expect(JSON.stringify(forged)).not.toContain(unsigned.slice('apos.sid='.length));
  });
});
