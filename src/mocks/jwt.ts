const encoder = new TextEncoder();
/** Bytes as base64url without padding. */
export const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
/** base64url text as bytes; throws on anything else. */
export const fromB64url = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));

async function hmac(data: string, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return b64url(new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(data))));
}

/** An HS256 JWT, as Lowcoder API keys and Coco logins are. */
export async function signJwt(claims: Record<string, unknown>, secret: string): Promise<string> {
  const part = (value: unknown) => b64url(encoder.encode(JSON.stringify(value)));
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${await hmac(unsigned, secret)}`;
}

/** The claims of a JWT signed with `secret`, or undefined for anything else. */
export async function verifyJwt(token: string, secret: string): Promise<Record<string, unknown> | undefined> {
  const [head, body, signature, extra] = token.split('.');
  if (!head || !body || !signature || extra !== undefined) return undefined;
  if ((await hmac(`${head}.${body}`, secret)) !== signature) return undefined;
  try {
    const claims: unknown = JSON.parse(atob(body.replace(/-/g, '+').replace(/_/g, '/')));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
