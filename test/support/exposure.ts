// What a user can see of a value (printed, serialised, inspected, its error fields and cause chain),
// and every form in which a credential may show up there.
import { inspect } from 'node:util';

const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase());
const utf8Base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

/**
 * Every form of `secret` a server, proxy or fetch error may quote: raw, percent-encoded both ways
 * (`encodeURIComponent` and `encodeURI`, upper- and lower-case hex), form-encoded (`URLSearchParams`),
 * base64 and base64url, and as a WHATWG URL writes it in a path and in a query.
 */
export function credentialForms(secret: string): string[] {
  let forms = cache.get(secret);
  if (!forms) cache.set(secret, (forms = formsOf(secret)));
  return forms;
}

/** Forms by secret: scans ask for the same few secrets thousands of times. */
const cache = new Map<string, string[]>();

function formsOf(secret: string): string[] {
  const form = new URLSearchParams({ x: secret }).toString().slice(2);
  const url = new URL(`http://h/${secret}?q=${secret}`);
  const forms = [
    secret,
    encodeURIComponent(secret),
    lowerHex(encodeURIComponent(secret)),
    encodeURI(secret),
    lowerHex(encodeURI(secret)),
    form,
    lowerHex(form),
    utf8Base64(secret),
    utf8Base64(secret).replace(/=+$/, ''),
    Buffer.from(secret, 'utf8').toString('base64url'),
    url.pathname.slice(1),
    url.search.slice(3),
  ];
  return [...new Set(forms)];
}

/** The forms of `secret` that `text` holds. */
export const formsIn = (text: string, secret: string) => credentialForms(secret).filter((form) => text.includes(form));

/**
 * Everything a user sees of `value`: `String`, `util.inspect`, `JSON.stringify`, and for errors every
 * own field (`requestId`, `code`, …), `toJSON()` and each cause down the chain the same way.
 */
export function rendered(value: unknown): string {
  const parts: string[] = [];
  const seen = new Set<unknown>();
  const add = (v: unknown, depth: number) => {
    if (depth > 8 || seen.has(v)) return;
    if (typeof v === 'object' && v !== null) seen.add(v);
    parts.push(String(v), inspect(v, { depth: 10, showHidden: false }));
    try {
      parts.push(JSON.stringify(v) ?? '');
    } catch {
      parts.push('[unserialisable]');
    }
    if (v instanceof Error) {
      parts.push(v.message, v.stack ?? '');
      for (const key of Object.getOwnPropertyNames(v)) {
        const field = (v as unknown as Record<string, unknown>)[key];
        if (typeof field === 'string' || typeof field === 'number') parts.push(`${key}=${field}`);
      }
      const toJSON = (v as { toJSON?: () => unknown }).toJSON;
      if (typeof toJSON === 'function') parts.push(JSON.stringify(toJSON.call(v)));
      add(v.cause, depth + 1);
    } else if (typeof v === 'object' && v !== null && !(v instanceof Date))
      for (const field of Object.values(v)) if (typeof field === 'object' && field !== null) add(field, depth + 1);
  };
  add(value, 0);
  return parts.join('\n');
}

/** `secret in label (form)` for each secret `text` shows in any form. */
export const leaksOf = (label: string, text: string, secrets: Iterable<string>) =>
  [...new Set(secrets)]
    .filter((s) => s.length > 3)
    .flatMap((s) => formsIn(text, s).map((form) => `${JSON.stringify(s)} in ${label} (as ${JSON.stringify(form)})`));
