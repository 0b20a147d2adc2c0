// Global setup of the site layer: one Chromium for every browser test file of a `vitest` run,
// launched here and reached through its WebSocket endpoint (test/site/browser/chromium-site.ts
// connects to it). Each file gets its own browser contexts, so files share no pages, cookies or
// storage; they only skip starting a browser each. Without Chromium nothing is provided, and the
// files skip (saying how to install it) or, under CI=true, fail.
import type { TestProject } from 'vitest/node';
import { findChromium, launchChromiumServer } from '../../scripts/site/chromium.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The shared Chromium's `wsEndpoint()`, when it started. */
    chromiumEndpoint?: string;
    /** Why Chromium was found but did not start. */
    chromiumLaunchError?: string;
  }
}

export default async function setup(project: TestProject) {
  if (!findChromium()) return;
  try {
    const server = await launchChromiumServer();
    project.provide('chromiumEndpoint', server.wsEndpoint());
    return () => server.close();
  } catch (error) {
    // The files fail with this (a Chromium that is there must work); the other layers still run.
    project.provide('chromiumLaunchError', error instanceof Error ? error.message : String(error));
  }
}
