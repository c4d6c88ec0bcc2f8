/** Chromium's virtual WebAuthn authenticator (the CDP WebAuthn domain), for the passkey specs. */
import type { CDPSession, Page } from '@playwright/test';

/** A virtual authenticator on `page` (platform, resident keys, user verification that succeeds). */
export async function virtualAuthenticator(page: Page): Promise<{ cdp: CDPSession; authenticatorId: string }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}
