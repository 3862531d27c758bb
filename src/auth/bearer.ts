import { withoutCookies, type ModeHandler } from './mode.js';

/** `Authorization: Bearer <token>`: Apostrophe and Coco login tokens. */
export const bearerMode: ModeHandler = {
  attach(req, token) {
    withoutCookies(req);
    if (token) req.headers.authorization = `Bearer ${token}`;
  },
};
