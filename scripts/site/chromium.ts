// Finds and launches the system Chromium (Debian's `chromium` package). We never
// download a browser: the tests and the Lighthouse run use what the machine has.
import { existsSync } from 'node:fs';
import { chromium, type BrowserServer } from 'playwright-core';

export const CHROMIUM_INSTALL_HINT = 'sudo apt-get install -y chromium (Debian/Ubuntu), or set CHROME_PATH to a Chromium or Chrome binary';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** Flags for a quiet, deterministic headless run: no first-run UI, no background network traffic. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
];

/** The Chromium binary to use: CHROME_PATH when set, else the usual system locations. */
export function findChromium(): string | undefined {
  const fromEnv = process.env.CHROME_PATH;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  return CANDIDATES.find((path) => existsSync(path));
}

/**
 * Starts Chromium as a server that test processes connect to (`chromium.connect(wsEndpoint())`):
 * the site tests start one for all their files (test/site/global-setup.ts).
 */
export async function launchChromiumServer(): Promise<BrowserServer> {
  const executablePath = findChromium();
  if (!executablePath) throw new Error(`Chromium was not found. Install it: ${CHROMIUM_INSTALL_HINT}`);
  return chromium.launchServer({ executablePath, args: CHROMIUM_ARGS });
}
