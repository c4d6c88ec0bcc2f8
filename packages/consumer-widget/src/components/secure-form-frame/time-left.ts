/**
 * What the frame says about the time left to send the form, from the milliseconds left: pure
 * text, so that the wording and its steps are tested in node.
 */
import { msg, str } from '@lit/localize';

/** The visitor is warned this long before the submit deadline (WCAG 2.2.1 asks for at least 20 s). */
export const WARN_BEFORE_MS = 60_000;

/** "You have N minutes left to send this form.", in whole minutes from 2 minutes, else in seconds. */
export function timeLeftText(msLeft: number): string {
  const seconds = Math.max(0, Math.ceil(msLeft / 1000));
  if (seconds >= 120) return msg(str`You have ${Math.floor(seconds / 60)} minutes left to send this form.`);
  if (seconds >= 60) return msg('You have 1 minute left to send this form.');
  return msg(str`You have ${seconds} seconds left to send this form.`);
}

/** Whether more time can be asked for, or the form must be sent now, as one sentence. */
export function extendOffer(canExtend: boolean): string {
  return canExtend ? msg('Do you need more time? Your answers stay as they are.') : msg('Send the form now: no more time can be added.');
}

/**
 * What the time warning announces: it changes only at the warning's start and at 30 and 10
 * seconds left, so a screen reader speaks it three times at most rather than every second.
 */
export function warningAnnouncement(msLeft: number, canExtend: boolean): string {
  const step =
    msLeft <= 10_000
      ? msg('You have less than 10 seconds left to send this form.')
      : msLeft <= 30_000
        ? msg('You have less than 30 seconds left to send this form.')
        : msg('You have less than a minute left to send this form.');
  return `${step} ${extendOffer(canExtend)}`;
}
