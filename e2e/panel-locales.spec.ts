/**
 * The agent panel's accessibility in each language and width QA checks: English and Arabic (right
 * to left), at 1280 and 320 px. In every state an agent meets (the form catalogue, sent, answers
 * masked, a card number revealed) the panel has no axe violations, does not scroll sideways, is laid
 * out in its language's direction, and keeps card digits in reading order (left to right, in fours)
 * inside the right-to-left panel. Each state is attached to the report with a screenshot.
 *
 * The workspace around the panel stays English; `/agent?lang=ar` sets the panel's `locale`. The
 * panel's words are looked up in its own translations (xliff/), so the test reads as the agent does.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { conversation, fillAndSend, openInvitation } from './support.js';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type Locale = 'en' | 'ar';

/**
 * The panel's text for `english` in `locale`, as a pattern: placeholders (`Reveal ${label}`) match
 * any text. Read from the translations the panel is built from, so a changed translation cannot
 * make this test look for words the agent never sees.
 */
function panelText(locale: Locale, english: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = (text: string) => escape(text).replace(/<x id="\d+" equiv-text="[^"]*"\/>/g, '.+');
  if (locale === 'en') return new RegExp(escape(english).replace(/\\\$\\\{[^}]*\\\}/g, '.+'));
  const xliff = readFileSync(new URL(`../packages/agent-panel/xliff/${locale}.xlf`, import.meta.url), 'utf8');
  const wanted = english.replace(/\$\{[^}]*\}/g, '{}');
  for (const unit of xliff.matchAll(/<source>([\s\S]*?)<\/source>\s*<target>([\s\S]*?)<\/target>/g)) {
    if (unit[1]!.replace(/<x id="\d+" equiv-text="[^"]*"\/>/g, '{}') === wanted) return new RegExp(pattern(unit[2]!));
  }
  throw new Error(`No ${locale} translation of "${english}" in the panel's xliff/${locale}.xlf`);
}

/** Axe on the panel, no sideways scrolling inside it, its direction, and a screenshot in the report. */
async function checkState(agent: Page, panel: Locator, locale: Locale, state: string): Promise<void> {
  const axe = await new AxeBuilder({ page: agent }).include('secure-form-panel').withTags(WCAG).analyze();
  await test.info().attach(`${state}: screenshot`, { body: await agent.screenshot({ fullPage: true }), contentType: 'image/png' });
  await test.info().attach(`${state}: axe`, { body: JSON.stringify(axe.violations, null, 2), contentType: 'application/json' });
  expect(axe.violations.map((v) => `${state}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  const { wider, ...layout } = await panel.evaluate((host) => {
    const base = host.shadowRoot!.querySelector<HTMLElement>('[part~="base"]')!;
    const edge = base.getBoundingClientRect();
    // What sticks out, named in the failure message.
    const wider = [...base.querySelectorAll<HTMLElement>('*')]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        return box.width > 0 && (box.right > edge.right + 1 || box.left < edge.left - 1);
      })
      .map((el) => `${el.localName}${el.getAttribute('part') ? `[part=${el.getAttribute('part')}]` : ''}`);
    return { dir: base.dir, lang: base.lang, overflow: base.scrollWidth - base.clientWidth, wider };
  });
  expect(layout, `${state}: the panel's language, direction and sideways overflow (${wider.join(', ') || 'nothing sticks out'})`).toEqual({
    dir: locale === 'ar' ? 'rtl' : 'ltr',
    lang: locale,
    overflow: 0,
  });
}

/** The left edges of a shown card number's digit groups, in the order the text has them. */
function digitGroupLefts(panel: Locator): Promise<number[]> {
  return panel.evaluate((host) =>
    [...host.shadowRoot!.querySelectorAll('[part~="answer-text"] .group')]
      .filter((group) => /^\d{4}$/.test(group.textContent ?? ''))
      .map((group) => group.getBoundingClientRect().left),
  );
}

for (const locale of ['en', 'ar'] as const) {
  for (const width of [1280, 320]) {
    const language = locale === 'ar' ? 'Arabic' : 'English';
    test(`the agent panel in ${language} at ${width} px: axe clean, its direction and no sideways scrolling in every state`, async ({
      browser,
    }) => {
      const t = (english: string) => panelText(locale, english);
      const { visitor, agent, close } = await conversation(browser, `Lena ${language} ${width}`, {
        agentPath: `/agent?lang=${locale}`,
        agentViewport: { width, height: 900 },
      });
      const panel = agent.locator('secure-form-panel');
      await expect(panel.getByRole('combobox', { name: t('Form') })).toBeVisible();
      await checkState(agent, panel, locale, 'the form catalogue');

      await panel.getByRole('button', { name: t('Send secure form') }).click();
      await expect(panel.getByRole('list', { name: t('Status') })).toContainText(t('Sent'));
      await checkState(agent, panel, locale, 'sent');

      await fillAndSend(await openInvitation(visitor));
      await expect(panel.getByRole('status')).toContainText(t('Answers ready'));
      await checkState(agent, panel, locale, 'answers masked');
      const masked = await digitGroupLefts(panel);
      expect(masked.length, 'the masked card number shows its last four').toBeGreaterThan(0);

      // The first Reveal in the list is the card number's (the form's first field).
      await panel
        .getByRole('button', { name: t('Reveal ${label}') })
        .first()
        .click();
      await expect.poll(() => digitGroupLefts(panel).then((lefts) => lefts.length)).toBe(4);
      await checkState(agent, panel, locale, 'card number revealed');
      const revealed = await digitGroupLefts(panel);
      expect(revealed, 'the digit groups read left to right, also in a right-to-left panel').toEqual([...revealed].sort((a, b) => a - b));
      await close();
    });
  }
}
