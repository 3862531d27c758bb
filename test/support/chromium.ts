import { chromium, type Browser } from 'playwright-core';
import { findOrInstall } from './install.js';

/** Found, installed, or refused with the command that installs it. */
export const findChromium = () =>
  findOrInstall({
    need: 'Browser tests need Chromium.',
    env: 'CHROMIUM_PATH',
    envNames: 'a Chromium or Chrome binary',
    candidates: ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'],
    aptPackage: 'chromium',
  });

/** Headless Chromium with the flags this network needs (no background traffic to the internet). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: findChromium(),
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
