export { lowcoder } from './providers/lowcoder.js';
export type {
  LowcoderApiKey,
  LowcoderApiKeySummary,
  LowcoderClient,
  LowcoderLogin,
  LowcoderOptions,
  LowcoderPaths,
  LowcoderUser,
} from './providers/lowcoder.js';
export { apostrophe } from './providers/apostrophe.js';
export type {
  ApostropheClient,
  ApostropheLogin,
  ApostropheOptions,
  ApostrophePaths,
  ApostropheUser,
} from './providers/apostrophe.js';
export type { AposTotpProps, ApostropheRequirements, RequirementAnswer, RequirementProps } from './providers/apostrophe-requirements.js';
export { coco } from './providers/coco.js';
export type {
  CocoApiKey,
  CocoApiKeyInput,
  CocoApiKeySummary,
  CocoClient,
  CocoLogin,
  CocoOptions,
  CocoPaths,
  CocoUser,
} from './providers/coco.js';
export type { AuthClient } from './client/types.js';
export type { CallOptions, ClientOptions, LogoutResult, SessionInfo } from './client/engine.js';
export type { CookieJar } from './auth/cookie-jar.js';
export type { AuthEvent } from './session/events.js';
export type { AuthMode } from './session/session.js';
export { memoryStore, type SessionStore } from './session/store.js';
export type { Logger } from './transport/send.js';
export {
  AbortedError,
  ApiError,
  AuthwireError,
  ConfigurationError,
  ForbiddenError,
  InvalidCredentialsError,
  InvalidResponseError,
  NetworkError,
  NotAuthenticatedError,
  RateLimitedError,
  TimeoutError,
  type ErrorContext,
  type Platform,
} from './errors.js';
