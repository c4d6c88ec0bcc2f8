/**
 * The modal dialog the form opens in on narrow screens: native `<dialog>` with `showModal()`, so
 * focus moves into the form, stays in the dialog, and the rest of the page is inert. Its Close
 * and Escape on its host side (the dialog's `cancel`) both ask to close; the element decides how.
 *
 * A function over closures, as the card (invitation-card.ts): the parts stay local names.
 */
import { msg } from '@lit/localize';
import { el } from './dom.js';

/** Where the form opens: below the invitation, or in a modal dialog; `auto` picks by width. */
export type Display = 'auto' | 'inline' | 'dialog';

/** Below this width the form opens in a modal dialog over the chat instead of inline. */
const NARROW = '(max-width: 40rem)';

/** The dialog, and what the element does with it. */
export interface InviteDialog {
  readonly dialog: HTMLDialogElement;
  /** Sets its text in the current locale. */
  render(): void;
  /** Opens it modally with `iframe` in it, titled `formTitle`. */
  show(iframe: HTMLIFrameElement, formTitle: string): void;
  /** Closes it if open, and clears its title (the frame is removed by its channel). */
  close(): void;
}

/** Whether the form opens in the dialog: `dialog`, or `auto` on a narrow screen. */
export function opensInDialog(display: Display): boolean {
  if (display !== 'auto') return display === 'dialog';
  return typeof matchMedia === 'function' && matchMedia(NARROW).matches;
}

/** Builds the (closed) dialog; its Close button and Escape call `askToClose`. */
export function inviteDialog(askToClose: () => void): InviteDialog {
  const title = el('p', { part: 'dialog-title', class: 'dialog-title', id: 'dialog-title' });
  const closeButton = el('button', { part: 'close-button', class: 'button button--secondary', type: 'button' });
  const body = el('div', { class: 'dialog-body' });
  const dialog = el(
    'dialog',
    { part: 'dialog', class: 'dialog', 'aria-labelledby': 'dialog-title' },
    el('div', { part: 'dialog-header', class: 'dialog-header' }, title, closeButton),
    body,
  );
  closeButton.addEventListener('click', askToClose);
  // Escape closes a modal dialog: treat it as Close.
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault();
    askToClose();
  });
  return {
    dialog,
    render() {
      closeButton.textContent = msg('Close');
    },
    show(iframe, formTitle) {
      title.textContent = formTitle;
      body.append(iframe);
      dialog.showModal();
    },
    close() {
      if (dialog.open) dialog.close();
      title.textContent = '';
    },
  };
}
