/**
 * Brute force; the one-time key part proves never-list row 3 (docs/never-list.md). The login lockout holds (PCI DSS 8.3.4): after three wrong passwords the
 * right one is refused (as an unknown username would be), a session opened before is cut, and an
 * admin lifts it (else it runs out after the site's lockoutMinutes); guessing goes
 * on into the rate limit. Guessing one-time keys is slowed per address and never succeeds; past
 * the bound of held guesses the address is refused at once, yet a real key presented from it
 * meanwhile is accepted (see middleware/otk-guard).
 */
import { randomBytes } from 'node:crypto';
import { TEST_CARDS } from '../fixtures/cards.js';
import { FROM_BRAND, FROM_FRAME, login, otkHeader, readyToSubmit, submit } from './api.js';
import { FROM, PASSWORD, PCI, SITE } from './env.js';
import { call, codeOf } from './http.js';
import { test } from './table.js';

const tally = (codes: string[]) =>
  Object.entries(codes.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c]: (acc[c] ?? 0) + 1 }), {}))
    .map(([code, n]) => `${code} ×${n}`)
    .join(', ');

test('Brute force: the login lockout holds, and only an admin lifts it', async ({ table }) => {
  const from = FROM.attacker;
  const attempt = (password: string) =>
    call(`${PCI}/v1/sessions`, { body: { siteId: SITE, username: 'lockie', password }, headers: FROM_BRAND, from });
  const session = await login('lockie', { from });

  const wrong = [];
  for (let i = 1; i <= 3; i++) wrong.push(codeOf(await attempt(`wrong-password-${i}-guess`)));
  table.add(
    'Brute force',
    'three wrong passwords',
    'sign in as lockie with three wrong passwords (the third says the account is now locked)',
    tally(wrong),
    wrong.join() === 'INVALID_CREDENTIALS,INVALID_CREDENTIALS,ACCOUNT_LOCKED',
  );

  const right = await attempt(PASSWORD);
  table.add(
    'Brute force',
    'the right password after the lockout',
    'sign in as lockie with the right password',
    `${right.status} ${codeOf(right)}`,
    // A locked account answers as an unknown username would (08-sign-in compares the two).
    right.status === 401 && codeOf(right) === 'INVALID_CREDENTIALS',
  );

  const before = await call(`${PCI}/v1/conversations`, { headers: session.headers, from });
  table.add(
    'Brute force',
    'a session opened before the lockout',
    "use lockie's earlier session",
    `${before.status} ${codeOf(before)}`,
    before.status === 403 && codeOf(before) === 'ACCOUNT_LOCKED',
  );

  const ada = await login('ada', { from: FROM.admin, totp: true });
  const enabled = await call(`${PCI}/v1/operators/${session.operatorId}/enable`, {
    method: 'POST',
    headers: ada.headers,
    from: FROM.admin,
  });
  const after = await attempt(PASSWORD);
  table.add(
    'Brute force',
    'an admin re-enables the operator',
    'ada (admin, second factor) re-enables lockie; lockie signs in',
    `enable ${enabled.status}; sign-in ${after.status}`,
    enabled.status === 200 && after.status === 201,
  );

  const guesses: string[] = [];
  for (let i = 0; i < 15; i++) guesses.push(codeOf(await attempt(`guess-${randomBytes(6).toString('hex')}-7`)));
  const last = await attempt(PASSWORD);
  guesses.push(codeOf(last));
  const succeeded = guesses.filter((c) => c === '').length;
  table.add(
    'Brute force',
    'password guessing',
    '15 more wrong passwords, then the right one',
    `${tally(guesses)}; ${succeeded} succeeded; Retry-After ${last.headers['retry-after'] ?? 'none'}`,
    succeeded === 0 &&
      guesses.includes('INVALID_CREDENTIALS') &&
      guesses.includes('RATE_LIMITED') &&
      last.headers['retry-after'] !== undefined,
  );
  table.expectAllHeld();
});

test('Brute force: guessing one-time keys is slowed, never succeeds, and stops no valid key; replays of a spent key are budgeted', async ({
  table,
}) => {
  const alice = await login('alice', { from: FROM.scan });
  // A real submit key the attacker will also present while limited.
  const real = await readyToSubmit(
    alice,
    'Gus Guessed',
    { cardNumber: TEST_CARDS.visa.number, billingPostcode: 'SW1A 1AA', cvv: '123' },
    FROM.scan,
  );
  const other = await readyToSubmit(
    alice,
    'Gus Guessed 2',
    { cardNumber: TEST_CARDS.visa.number, billingPostcode: 'SW1A 1AA', cvv: '123' },
    FROM.scan,
  );

  // 40 random keys at once from one address, and the real key from the same address while they
  // are held: the guesser is slowed and then refused at once; the real key is accepted.
  const [answers, whileLimited] = await Promise.all([
    Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(`${PCI}/v1${i % 2 === 0 ? '/forms/view' : '/submissions/extend'}`, {
          method: 'POST',
          headers: { ...otkHeader(randomBytes(32).toString('base64url')), ...FROM_FRAME },
          from: FROM.attacker,
        }),
      ),
    ),
    new Promise<void>((resolve) => setTimeout(resolve, 300)).then(() => submit(real.submitOtk, real.body, FROM.attacker)),
  ]);
  const codes = answers.map((answer) => (answer.status < 400 ? 'ACCEPTED' : codeOf(answer)));
  const retryAfter = answers.map((answer) => String(answer.headers['retry-after'] ?? '')).find((value) => value !== '') ?? '';
  const accepted = codes.filter((c) => c === 'ACCEPTED').length;
  const limited = codes.filter((c) => c === 'RATE_LIMITED').length;
  table.add(
    'Brute force',
    'one-time key guessing',
    '40 random 256-bit keys at once from one address (view and extend)',
    `${tally(codes)}; ${accepted} accepted; Retry-After ${retryAfter || 'none'} s`,
    accepted === 0 && limited > 0 && retryAfter !== '',
  );

  table.add(
    'Brute force',
    'a real key while limited',
    'the guessing address presents a valid submit key while its guesses are held',
    `${whileLimited.status} ${codeOf(whileLimited)}`,
    whileLimited.status === 201,
  );

  const elsewhere = await submit(other.submitOtk, other.body, FROM.scan);
  table.add(
    'Brute force',
    'other addresses meanwhile',
    'a visitor at another address submits',
    `${elsewhere.status}`,
    elsewhere.status === 201,
  );

  const again = await submit(real.submitOtk, real.body, FROM.scan);
  table.add(
    'Brute force',
    'the key accepted while limited was spent once',
    'the same submit key again, from another address',
    `${again.status} ${codeOf(again)}`,
    codeOf(again) === 'OTK_USED' || codeOf(again) === 'ALREADY_SUBMITTED',
  );

  // A flood of replays of that spent key: answered up to its budget (30 a minute), then refused
  // before the store is read.
  const replays = await Promise.all(Array.from({ length: 60 }, () => submit(real.submitOtk, real.body, FROM.attacker)));
  const replayCodes = replays.map(codeOf);
  const answered = replayCodes.filter((c) => c === 'OTK_USED' || c === 'ALREADY_SUBMITTED').length;
  const budgeted = replayCodes.filter((c) => c === 'RATE_LIMITED').length;
  const replayRetryAfter = replays.map((answer) => String(answer.headers['retry-after'] ?? '')).find((value) => value !== '') ?? '';
  table.add(
    'Brute force',
    'a flood of replays of one spent key',
    '60 replays at once of the spent submit key, from the guessing address',
    `${tally(replayCodes)}; Retry-After ${replayRetryAfter || 'none'} s`,
    answered + budgeted === 60 && answered <= 30 && replayRetryAfter !== '',
  );
  table.expectAllHeld();
});
