// A system binary the tests need (redis-server, Chromium): found, installed, or refused with the
// exact command that installs it, so a missing binary fails loudly instead of skipping tests.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export interface SystemBinary {
  /** The error's first sentence: who needs what. */
  need: string;
  /** The variable that may name the binary, and what it must name. */
  env: string;
  envNames: string;
  /** Where Debian and the usual installs put it, in order of preference. */
  candidates: readonly string[];
  /** Debian's package holding it. */
  aptPackage: string;
}

/** What the error says: the exact command that installs the binary, or the variable to set. */
export const howToInstall = ({ need, env, envNames, aptPackage }: SystemBinary) =>
  `${need} On Debian/Ubuntu run \`sudo apt-get update && sudo apt-get install -y ${aptPackage}\`, ` +
  `or set ${env} to ${envNames}.`;

/** Finds the binary, installing Debian's package when running as root; otherwise throws the how-to. */
export function findOrInstall(binary: SystemBinary): string {
  const configured = process.env[binary.env];
  if (configured) {
    if (existsSync(configured)) return configured;
    throw new Error(`${binary.env}=${configured} does not exist. ${howToInstall(binary)}`);
  }
  const find = () => binary.candidates.find((path) => existsSync(path));
  const found = find();
  if (found) return found;
  if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update'], { stdio: 'ignore', env });
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', binary.aptPackage], { stdio: 'ignore', env });
    const installed = find();
    if (installed) return installed;
  }
  throw new Error(howToInstall(binary));
}
