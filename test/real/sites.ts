// The real sites, users and keys the real-server tier shares between its files (global-setup.ts
// starts the sites; the test files find them with `inject('apostrophe')`).
import type { SiteConfig } from '../support/apostrophe-site.js';

export const ADMIN = { username: 'admin', password: 's3cret-Passw0rd' };
export const API_KEYS = { 'real-admin-key-0123456789': { role: 'admin' }, 'real-editor-key-0123456789': { role: 'editor' } };
export const ADMIN_KEY = 'real-admin-key-0123456789';
export const EDITOR_KEY = 'real-editor-key-0123456789';
/** Three failures lock a username for 6 s (the default is a minute), to keep the throttle tests short. */
export const THROTTLE = { allowedAttempts: 3, perMinutes: 1, lockoutMinutes: 0.1 };
export const LOCKOUT_MS = THROTTLE.lockoutMinutes * 60_000;
/** Multi-step logins must finish within this (default 1 h), so the expiry test waits that long. */
export const INCOMPLETE_LIFETIME_MS = 20_000;

/** Users each test file owns, so throttles and enrolments never cross files. */
export const USERS = {
  plain: ['locked', 'sdk', 'diff', 'forward'],
  prefix: ['sdk'],
  totp: ['enrol-bearer', 'enrol-cookie', 'totp-throttle', 'totp-expire'],
} as const;
export const USER_PASSWORD = 'us3r-Passw0rd';

export const SITES: Record<keyof typeof USERS, SiteConfig> = {
  plain: { name: 'plain', admin: ADMIN, apiKeys: API_KEYS, throttle: THROTTLE },
  prefix: { name: 'prefix', prefix: '/cms', admin: ADMIN, apiKeys: API_KEYS, throttle: THROTTLE },
  totp: { name: 'totp', totp: true, admin: ADMIN, apiKeys: API_KEYS, throttle: THROTTLE, incompleteLifetime: INCOMPLETE_LIFETIME_MS },
};

export interface ProvidedSite {
  url: string;
  origin: string;
}

export interface ProvidedApostrophe {
  version: string;
  installSeconds: number;
  startSeconds: number;
  sites: Record<keyof typeof USERS, ProvidedSite>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    apostrophe: ProvidedApostrophe;
  }
}
