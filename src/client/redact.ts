const formEncoded = (s: string) => new URLSearchParams({ s }).toString().slice(2);

/**
 * Removes every known secret from an error's message, stack and code, and from its causes', so a server
 * that echoes input or a fetch that prints URLs cannot leak a password, token, key or cookie.
 */
export function scrub<E>(error: E, secrets: Iterable<string | undefined>): E {
  // Raw, percent-encoded (paths) and form-encoded (query strings built with URLSearchParams, such as `?apikey=`).
  const found = [...secrets].flatMap((s) => (s && s.length > 3 ? [s, encodeURIComponent(s), formEncoded(s)] : []));
  if (!found.length) return error;
  const clean = (text: string) => found.reduce((t, secret) => t.split(secret).join('[redacted]'), text);
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    for (const key of ['message', 'stack', 'code']) {
      const text = (current as unknown as Record<string, unknown>)[key];
      if (typeof text === 'string' && found.some((s) => text.includes(s)))
        Object.defineProperty(current, key, { value: clean(text), writable: true, configurable: true });
    }
    current = current.cause;
  }
  return error;
}
