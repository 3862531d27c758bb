import { ConfigurationError, type Platform } from '../errors.js';

/** Rejects missing or blank required arguments before anything is sent. */
export function requireText(platform: Platform, operation: string, fields: Record<string, unknown>): void {
  for (const [name, value] of Object.entries(fields))
    if (typeof value !== 'string' || !value.trim())
      throw new ConfigurationError(`${name} must be a non-empty string.`, { platform, operation });
}
