import type { Outgoing } from '../transport/send.js';

/** How one auth mode puts its credential on a request to the client's own origin. */
export interface ModeHandler {
  /** Adds the credential. `secret` is the session's token or key, when there is one. */
  attach(req: Outgoing, secret: string | undefined): void | Promise<void>;
  /** Takes what the answer set (cookies); resolves true when stored credentials changed. */
  received?(url: string, res: Response): Promise<boolean>;
}

/** Header modes must never carry a cookie too: Lowcoder ignores a key next to its session cookie. */
export const withoutCookies = (req: Outgoing) => {
  // `delete` turns the object into a slow dictionary for the writes that follow: only when needed.
  if ('cookie' in req.headers) delete req.headers.cookie;
  req.credentials = 'omit';
};
