/** Hosts where plain http never leaves the machine. */
export function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}

/** Credentials would cross the network in clear text. */
export const isInsecure = (url: URL) => url.protocol === 'http:' && !isLoopback(url.hostname);
