import type { Outgoing } from '../transport/send.js';
import { withoutCookies, type ModeHandler } from './mode.js';

/** Where a platform expects its API key. */
export type KeyPlacement = (req: Outgoing, key: string) => void;

/** Lowcoder: `Authorization: Bearer <jwt>`, exactly so (the prefix is case-sensitive). */
export const bearerKey: KeyPlacement = (req, key) => void (req.headers.authorization = `Bearer ${key}`);

/** Apostrophe: `Authorization: ApiKey <key>`. */
export const apiKeyScheme: KeyPlacement = (req, key) => void (req.headers.authorization = `ApiKey ${key}`);

/** Apostrophe's `?apikey=` form: only on explicit request, since query strings land in access logs. */
export const apiKeyQuery: KeyPlacement = (req, key) => {
  const url = new URL(req.url);
  url.searchParams.set('apikey', key);
  req.url = url.href;
};

/** Coco: `X-API-TOKEN` (Coco rejects its API tokens as Bearer). */
export const tokenHeader: KeyPlacement = (req, key) => void (req.headers['x-api-token'] = key);

export const apiKeyMode = (place: KeyPlacement): ModeHandler => ({
  attach(req, key) {
    withoutCookies(req);
    if (key) place(req, key);
  },
});
