const lowerHex = (text: string) => text.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());

/**
 * Every form a secret takes on the wire or in a server's echo: raw and percent-decoded (cookie values
 * arrive encoded), percent-encoded (`encodeURIComponent`, `encodeURI`, form-encoded; upper- and
 * lower-case hex), and base64 (unpadded, so padded text matches too, and base64url).
 */
export function secretForms(secret: string): string[] {
  const encoded = [encodeURIComponent(secret), encodeURI(secret), new URLSearchParams([['', secret]]).toString().slice(1)];
  const forms = new Set([secret, ...encoded, ...encoded.map(lowerHex)]);
  try {
    forms.add(decodeURIComponent(secret));
  } catch {
    // Not percent-encoded.
  }
  // A signed express-session cookie (Apostrophe's `s:<id>.<signature>`): the id alone keys the session on the server.
  for (const form of [...forms]) forms.add(/^s:([^.]+)\./.exec(form)?.[1] ?? '');
  try {
    const base64 = btoa(String.fromCharCode(...new TextEncoder().encode(secret))).replace(/=+$/, '');
    forms.add(base64).add(base64.replace(/\+/g, '-').replace(/\//g, '_'));
  } catch {
    // Too long for one call: such a secret is never sent in a header, where base64 would appear.
  }
  // A decoded form may be short enough to be an ordinary word.
  return [...forms].filter((form) => form.length > 3);
}

/** Fields the SDK fills itself, never from a server: scrubbing them could only corrupt them. */
const OURS = ['name', 'platform', 'operation', 'reason'];

/**
 * Removes every known secret from an error's text fields (message, stack, code, request id, …) and
 * from its causes', so a server that echoes input, a proxy that reflects headers, or a fetch that
 * prints URLs cannot leak a password, token, key or cookie.
 */
export function scrub<E>(error: E, secrets: Iterable<string | undefined>): E {
  // Short values would redact ordinary words; no credential is that short.
  const found = [...new Set(secrets)].flatMap((s) => (s && s.length > 3 ? secretForms(s) : []));
  if (!found.length) return error;
  const clean = (text: string) => found.reduce((t, secret) => t.split(secret).join('[redacted]'), text);
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    for (const key of new Set(['message', 'stack', ...Object.keys(current)].filter((k) => !OURS.includes(k)))) {
      const text = (current as unknown as Record<string, unknown>)[key];
      if (typeof text === 'string' && found.some((s) => text.includes(s)))
        Object.defineProperty(current, key, { value: clean(text), writable: true, configurable: true, enumerable: key !== 'stack' && key !== 'message' });
    }
    current = current.cause;
  }
  return error;
}
