/**
 * The harness itself: a pointer click waits until its target has stopped moving, as Playwright's
 * own actionability checks do for the Chromium suite. The page's button moves down for its first
 * three seconds (content opening above it, as the passkey offer once did above the queue), then
 * stays; it says whether the click reached it while it still moved.
 */
import { createServer, type Server } from 'node:http';
import { HARNESS_PAGES_PORT } from './env.js';
import { expect, test } from './fixtures.js';

const MOVING_BUTTON = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>A button that moves, then stays</title>
  </head>
  <body>
    <main>
      <div id="above"></div>
      <button type="button" id="target">Take it</button>
      <p id="result" role="status"></p>
    </main>
    <script>
      const above = document.getElementById('above');
      let moving = true;
      let step = 0;
      const timer = setInterval(() => (above.style.height = ++step * 10 + 'px'), 100);
      setTimeout(() => {
        clearInterval(timer);
        moving = false;
      }, 3000);
      document.getElementById('target').addEventListener('click', () => {
        document.getElementById('result').textContent = moving ? 'Clicked while it moved' : 'Clicked at rest';
      });
    </script>
  </body>
</html>`;

let server: Server;

test.beforeAll(async () => {
  server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(MOVING_BUTTON));
  await new Promise<void>((resolve) => server.listen(HARNESS_PAGES_PORT, 'localhost', resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

test('a pointer click waits until its target has stopped moving', async ({ people }) => {
  const person = await people('agent');
  await person.goto(`http://localhost:${HARNESS_PAGES_PORT}/`);
  await person.click({ role: 'button', name: 'Take it' });
  // Whole-text patterns: the page's script holds both sentences too, and the body's text with it.
  await expect.poll(() => person.ask('page', 'hasText', '^Clicked', true), { message: 'the click reached the button' }).toBe(true);
  expect(
    await person.ask('page', 'hasText', '^Clicked at rest$', true),
    `the click waited for the button to stay in ${person.engine}`,
  ).toBe(true);
});
