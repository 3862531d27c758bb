/** The package root and the git-ignored scratch folder for generated third-party code. */
export const ROOT = new URL('../', import.meta.url);
export const WORK = new URL('bench/.work/', ROOT);
