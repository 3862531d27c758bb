export { lowcoder } from './providers/lowcoder.js';
export { apostrophe } from './providers/apostrophe.js';
export { coco } from './providers/coco.js';
export { memoryStore, type SessionStore } from './session/store.js';
export type { CookieJar } from './auth/cookie-jar.js';
export type * from './types.js';
export * from './errors.js';
