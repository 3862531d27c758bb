import { configError } from '../client/config.js';
import type { Platform } from '../errors.js';
import type { IncomingCredentials } from './incoming.js';

/** A header credential as the platform client's own options name it. */
export type HeaderCredential = { apiKey: string } | { token: string };

/** Which of a browser's cookies and headers belong to one platform. */
export interface ForwardRules {
  /** The session cookie(s): the credential itself. */
  session(name: string): boolean;
  /** Cookies the platform needs next to the session (Apostrophe's CSRF cookie for writes). */
  companion(name: string): boolean;
  /** The platform's own cookies, whose `Set-Cookie` lines are relayed to the browser. */
  own(name: string): boolean;
  /** The header credential the browser sent, as client options. */
  header(incoming: IncomingCredentials): HeaderCredential | undefined;
}

/** RFC 6265 cookie-octets, optionally quoted: anything else is not forwarded. */
const COOKIE_VALUE = /^"?[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]+"?$/;
export const isCookieValue = (value: string) => COOKIE_VALUE.test(value);

/** `Authorization: <scheme> <credentials>` with a scheme from `schemes` (case-insensitive, RFC 9110). */
function scheme(authorization: string | undefined, name: string): string | undefined {
  const match = /^(\S+) +(\S+)$/.exec(authorization?.trim() ?? '');
  return match && match[1]!.toLowerCase() === name ? match[2] : undefined;
}

const none = () => false;

/**
 * Forwarding rules per platform, from the parent client's options: Lowcoder's `cookieName`,
 * Apostrophe's `shortName`.
 */
export function rulesFor(platform: Platform, options: { cookieName?: string; shortName?: string }, cookies: boolean): ForwardRules {
  if (platform === 'lowcoder') {
    const name = options.cookieName ?? 'LOWCODER_CE_SELFHOST_TOKEN';
    return {
      session: (n) => n === name,
      companion: none,
      own: (n) => n === name,
      // Lowcoder's API keys are bearer JWTs.
      header: ({ authorization }) => {
        const key = scheme(authorization, 'bearer');
        return key ? { apiKey: key } : undefined;
      },
    };
  }
  if (platform === 'apostrophe') {
    const { shortName } = options;
    if (cookies && (typeof shortName !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(shortName)))
      throw configError(platform, "Forwarding Apostrophe's cookies needs the site's `shortName` option (its cookies are `<shortName>.sid` and `<shortName>.csrf`), or `accept: 'header'`.", 'forRequest');
    return {
      session: (n) => n === `${shortName}.sid`,
      companion: (n) => n === `${shortName}.csrf`,
      own: (n) => n === `${shortName}.sid` || n === `${shortName}.csrf` || n === `${shortName}.loggedIn`,
      header: ({ authorization }) => {
        const token = scheme(authorization, 'bearer');
        const key = scheme(authorization, 'apikey');
        return token ? { token } : key ? { apiKey: key } : undefined;
      },
    };
  }
  const session = (n: string) => n.startsWith('INFINI-SESSION-') && n.length > 15;
  return {
    session,
    companion: none,
    own: session,
    // `X-API-TOKEN` names Coco; an `Authorization` header may also be meant for your back end.
    header: ({ authorization, apiToken }) => {
      const token = scheme(authorization, 'bearer');
      return apiToken?.trim() ? { apiKey: apiToken.trim() } : token ? { token } : undefined;
    },
  };
}
