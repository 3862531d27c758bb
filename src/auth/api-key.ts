import type { Outgoing } from '../transport/send.js';

/** Where a platform expects its API key; `inQuery` placements need no header-safe value. */
export type KeyPlacement = ((req: Outgoing, key: string) => void) & { inQuery?: true };

/** Lowcoder: `Authorization: Bearer <jwt>`, exactly so (the prefix is case-sensitive). */
export const bearerKey: KeyPlacement = (req, key) => void (req.headers.authorization = `Bearer ${key}`);

/** Apostrophe: `Authorization: ApiKey <key>`. */
export const apiKeyScheme: KeyPlacement = (req, key) => void (req.headers.authorization = `ApiKey ${key}`);

/** Apostrophe's `?apikey=` form: only on explicit request, since query strings land in access logs. */
export const apiKeyQuery: KeyPlacement = Object.assign(
  (req: Outgoing, key: string) => {
    const url = new URL(req.url);
    url.searchParams.set('apikey', key);
    req.url = url.href;
  },
  { inQuery: true as const },
);

/** Coco: `X-API-TOKEN` (Coco rejects its API tokens as Bearer). */
export const tokenHeader: KeyPlacement = (req, key) => void (req.headers['x-api-token'] = key);

