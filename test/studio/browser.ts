/** Browser helpers for the Banner Studio tests (Chromium itself: test/support/chromium.ts). */
import type { Locator } from 'playwright-core';

export { CHROMIUM_PATH, launchChromium } from '../support/chromium';

/** Waits until the locator's text (trimmed) satisfies `check`; fails with the last text seen. */
export async function waitForText(
  locator: Locator,
  check: (text: string) => boolean,
  timeoutMs = 20_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if ((await locator.count()) > 0) {
      last = ((await locator.first().textContent()) ?? '').trim();
      if (check(last)) return last;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`timed out; last text: "${last}"`);
}
