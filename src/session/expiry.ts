/** Beyond what a Date can hold (±8.64e15 ms) is no expiry anyone can act on: servers send anything. */
const representable = (at: number) => (Math.abs(at) <= 8.64e15 ? at : undefined);

/** `exp` of a JWT, in epoch milliseconds; undefined for opaque tokens or JWTs without `exp`. */
export function jwtExpiry(token: string): number | undefined {
  try {
    const payload = token.split('.')[1];
    if (!payload) return undefined;
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? representable(exp * 1000) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Coco's `expire_in` in epoch milliseconds. Current servers send an absolute Unix time in seconds;
 * older docs describe a duration in seconds. No Unix time of this century is below 10^9, so smaller
 * positive values are durations. Zero or negative means "never".
 */
export function expireInToEpochMs(value: number, now: number): number | undefined {
  return value > 0 ? representable(value >= 1e9 ? value * 1000 : now + value * 1000) : undefined;
}

/** The earliest future expiry among `Set-Cookie` lines (`Max-Age` over `Expires`), epoch milliseconds. */
export function setCookieExpiry(lines: string[], now: number): number | undefined {
  let earliest: number | undefined;
  for (const line of lines) {
    const maxAge = /;\s*max-age=(-?\d+)/i.exec(line)?.[1];
    const expires = /;\s*expires=([^;]+)/i.exec(line)?.[1];
    const at = maxAge !== undefined ? now + Number(maxAge) * 1000 : expires ? Date.parse(expires) : NaN;
    if (at > now && (earliest === undefined || at < earliest)) earliest = at;
  }
  return earliest === undefined ? undefined : representable(earliest);
}
