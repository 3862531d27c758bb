// Apostrophe's multi-step login: after the password, each `afterPasswordVerified` requirement (the
// official `@apostrophecms/login-totp` is `AposTotp`) is answered through `requirement-props` and
// `requirement-verify` with the `incompleteToken` the login returned.
import { isRecord } from '../pipeline/check.js';
import { ApiError, AuthwireError, InvalidCredentialsError, NotAuthenticatedError, type ErrorContext } from '../errors.js';
import type { ApostropheRequirements, RequirementAnswer } from '../types.js';

/** One JSON POST to a path of the site; resolves with the parsed body or throws the typed error. */
export type PostJson = (operation: string, path: string, body: Record<string, unknown>, secrets: string[]) => Promise<unknown>;

const LOGIN = '/api/v1/@apostrophecms/login';

/** The values sent with the password: everything but the step answers. */
export function submittedRequirements(requirements: ApostropheRequirements | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(requirements ?? {}).filter(([, value]) => typeof value !== 'function'));
}

/** The step answers, by requirement name. */
export function requirementAnswers(requirements: ApostropheRequirements | undefined): [string, RequirementAnswer][] {
  return Object.entries(requirements ?? {}).filter((entry): entry is [string, RequirementAnswer] => typeof entry[1] === 'function');
}

/** Where a step's error came from, to carry over into the error that replaces it. */
function contextOf({ platform, operation, status, code, requestId }: AuthwireError): ErrorContext {
  return { platform, operation, ...(status !== undefined && { status }), ...(code !== undefined && { code }), ...(requestId !== undefined && { requestId }) };
}

/** Typed errors for the step routes, whose answers the generic mapping cannot tell apart. */
function stepError(error: unknown, step: string): unknown {
  if (!(error instanceof ApiError)) return error;
  const ctx: ErrorContext = { ...contextOf(error), reason: 'requirement', cause: error };
  const message = `${step}: ${error.message}`;
  // A wrong code is a wrong credential; the message is the plugin's (translated) text.
  if (error.status === 400 && error.code === 'invalid') return new InvalidCredentialsError(message, ctx);
  // Unknown, expired or already used incomplete token (or a requirement the site does not have).
  if (error.status === 404)
    return new NotAuthenticatedError(`${message} (the login step expired, or the site has no such requirement; log in again)`, {
      ...ctx,
      reason: 'requirement-expired',
    });
  return new ApiError(message, ctx);
}

/**
 * Answers every requirement the caller gave a function for: props, the caller's answer, verify.
 * A refusal becomes a typed error: `InvalidCredentialsError` (400 `invalid`, a wrong code),
 * `RateLimitedError` (the requirement's own throttle), `NotAuthenticatedError` reason
 * `requirement-expired` (404), `ApiError` (422 `unprocessable` and the rest), all with reason
 * `requirement` unless said otherwise.
 */
async function verifyRequirements(post: PostJson, incompleteToken: string, answers: [string, RequirementAnswer][]): Promise<void> {
  for (const [name, answer] of answers) {
    try {
      const props = await post('requirement-props', `${LOGIN}/requirement-props`, { incompleteToken, name }, [incompleteToken]);
      const value = await answer(isRecord(props) ? props : {}, { name });
      const secrets = [incompleteToken, ...(typeof value === 'string' || typeof value === 'number' ? [String(value)] : [])];
      await post('requirement-verify', `${LOGIN}/requirement-verify`, { incompleteToken, name, value }, secrets);
    } catch (error) {
      throw stepError(error, `Login requirement ${name}`);
    }
  }
}

/**
 * Answers the requirements, then ends the login. A cookie session is made by the finalising login
 * call (`{incompleteToken, session: true}`); a bearer session keeps the verified incomplete token as
 * its bearer and resolves with it (see the contract: the bearer finalisation of 4.32.2 returns a
 * token document whose stored numeric expiry its own bearer check then refuses).
 */
export async function completeLogin(
  post: PostJson,
  incompleteToken: string,
  answers: [string, RequirementAnswer][],
  mode: 'bearer' | 'cookie',
): Promise<string | undefined> {
  await verifyRequirements(post, incompleteToken, answers);
  if (mode === 'bearer') return incompleteToken;
  try {
    await post('login', `${LOGIN}/login`, { incompleteToken, session: true }, [incompleteToken]);
  } catch (error) {
    if (error instanceof AuthwireError && error.status === 403 && error.code === 'forbidden')
      throw new NotAuthenticatedError(
        'The site requires login steps that `requirements` does not answer (give a function per requirement name).',
        { ...contextOf(error), reason: 'requirements-pending', cause: error },
      );
    throw stepError(error, 'Finishing the multi-step login');
  }
  return undefined;
}
