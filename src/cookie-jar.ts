// `authwire/cookie-jar` (Node): the cookie jar the Node entry gives cookie-mode clients, for
// callers who build clients with their own options or share one jar between clients.
export { createCookieJar, type CookieJar } from './auth/cookie-jar.js';
