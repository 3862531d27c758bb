// RFC 6238 codes (HMAC-SHA1, 6 digits, 30 s) for the Apostrophe mock's login-totp, on WebCrypto so
// the mock stays dependency-free in browsers and Node.
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 base32 without padding, of a string's UTF-8 bytes (as `thirty-two` encodes the plugin's secret). */
export function base32(text: string): string {
  let bits = '';
  for (const byte of new TextEncoder().encode(text)) bits += byte.toString(2).padStart(8, '0');
  let out = '';
  for (let i = 0; i < bits.length; i += 5) out += ALPHABET[parseInt(bits.slice(i, i + 5).padEnd(5, '0'), 2)];
  return out;
}

function fromBase32(secret: string): Uint8Array<ArrayBuffer> {
  let bits = '';
  for (const char of secret.replace(/=+$/, '').toUpperCase()) bits += ALPHABET.indexOf(char).toString(2).padStart(5, '0');
  const bytes = new Uint8Array(Math.floor(bits.length / 8));
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  return bytes;
}

/** The code for a base32 secret at a time in ms. */
export async function totpCode(secret: string, now: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', fromBase32(secret), { name: 'HMAC', hash: 'SHA-1' }, false, ['sign']);
  const counter = new DataView(new ArrayBuffer(8));
  counter.setBigUint64(0, BigInt(Math.floor(now / 30_000)));
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, counter.buffer));
  const offset = mac[mac.length - 1]! & 0xf;
  const value = (new DataView(mac.buffer).getUint32(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}
