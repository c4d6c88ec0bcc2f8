import { expect, type FrameLocator } from '@playwright/test';

/**
 * Waits until the form frame has stopped moving on the page. After each step renders, the frame
 * posts its new height and the host page resizes the iframe, which can move it: a chat transcript
 * scrolled to its end, for one, keeps its end in view when the form above it shrinks from the
 * form step to the shorter review. A click aimed at "Send securely" in between lands where the
 * button was. A person sees the page settle; a script has to wait for it, as here: the iframe's
 * box unchanged over `quietMs`.
 */
export async function frameSettled(frame: FrameLocator, { quietMs = 150, timeout = 5000 } = {}): Promise<void> {
  const iframe = frame.owner();
  let last: string | undefined;
  await expect
    .poll(
      async () => {
        const box = JSON.stringify(await iframe.boundingBox());
        const still = box === last;
        last = box;
        return still;
      },
      { intervals: [quietMs], timeout },
    )
    .toBe(true);
}
