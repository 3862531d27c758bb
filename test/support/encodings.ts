/**
 * The forms in which servers echo what they were sent: raw, percent-encoded (`encodeURIComponent`,
 * as in paths and most query strings) and form-encoded (`URLSearchParams`: space as `+`, and
 * `~ ! ' ( )` escaped, which `encodeURIComponent` leaves alone). Leak tests echo every form and look
 * for every form, so a scrubber that misses one of them fails.
 */
export const formEncode = (text: string) => new URLSearchParams({ x: text }).toString().slice(2);

export const encodings = (text: string) => [...new Set([text, encodeURIComponent(text), formEncode(text)])];

/**
 * Characters that every encoding changes, differently: a space (`%20` or `+`), `+ / & = @`, a
 * non-ASCII letter, and `~ ( ! )` (kept by `encodeURIComponent`, escaped by `URLSearchParams`).
 * `ENCODED` suits passwords and other body text; `HEADER_SAFE` drops the space and the non-ASCII
 * letter for credentials that travel in headers and cookies.
 */
export const ENCODED = ' +/&=@é~(!)';
export const HEADER_SAFE = '+/&=@~(!)';
