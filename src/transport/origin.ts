/**
 * Hosts where plain http never leaves the machine: the literal loopback addresses and `localhost`
 * itself. Names below `.localhost` are left out: they go through DNS, which may answer anything.
 */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** Credentials would cross the network in clear text. */
export const isInsecure = (url: URL) => url.protocol === 'http:' && !isLoopback(url.hostname);

/** `url` is on `origin` (both normalised by URL, so a prefix test with the slash is an origin test). */
export const isOwnUrl = (url: string, origin: string) => url === origin || url.startsWith(`${origin}/`);
