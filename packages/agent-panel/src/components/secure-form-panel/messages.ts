/**
 * Every message the panel's component, templates and controllers show, in one catalogue (the
 * reasons and next steps of refusals are in `internal/problems.ts`). Each is a function, so that
 * `msg()` runs at render time in the current locale; import the module as a namespace
 * (`m.answers()`), which the bundler resolves to plain function calls. lit-localize keys each
 * translation by a hash of its English text: a changed text needs its translations in `xliff/`.
 */
import { msg, str } from '@lit/localize';

export const title = () => msg('Secure forms');
export const responses = () => msg('Secure form responses');
export const sent = (form: string) => msg(str`Secure form sent: ${form}`);
export const cancelled = (form: string) => msg(str`Secure form cancelled: ${form}`);
export const submittedNotice = () => msg('Secure form submitted');
export const answersReady = () => msg('Answers ready');
export const copyFailed = () => msg('The value could not be copied. Reveal it and copy it by hand.');
export const copied = () => msg('Copied; clipboard clears in 30 seconds');
export const idleCleared = () => msg('Secure forms were cleared from this page because you were inactive.');
export const idleGone = () => msg('Secure forms cleared for inactivity');
export const resume = () => msg('Continue');
export const idleWarning = (seconds: number) =>
  msg(str`Secure forms will be cleared from this page in ${seconds} seconds because you seem inactive.`);
export const stay = () => msg("I'm still here");
export const answersHidden = (form: string) => msg(str`Answers to ${form} hidden`);
export const noHistoryPermission = () => msg('You do not have permission to view secure form responses in conversation history.');
export const askHistoryPermission = () =>
  msg('Ask an administrator for the "view secure form responses in conversation history" permission.');
export const openForResponses = () => msg('Open a conversation to see its secure form responses.');
export const openToSend = () => msg('Open a conversation to send a secure form.');
export const sentList = () => msg('Secure forms sent');
export const loadingResponses = () => msg('Loading responses…');
export const noResponses = () => msg('No secure form responses in this conversation.');
export const notViewable = () => msg('This response cannot be viewed: history viewing was off when the form was sent.');
export const hideAnswersTo = (form: string) => msg(str`Hide answers to ${form}`);
export const viewAnswersTo = (form: string) => msg(str`View answers to ${form}`);
export const retrieving = () => msg('Retrieving answers…');
export const loadingForms = () => msg('Loading forms…');
export const noForms = () => msg('No secure forms are available to send.');
export const form = () => msg('Form');
export const send = () => msg('Send secure form');
export const retrieveAgain = () => msg('Retrieve again');
export const status = () => msg('Status');
export const cancel = (form: string) => msg(str`Cancel ${form}`);
export const sendAgain = (form: string) => msg(str`Send ${form} again`);
export const stepSent = () => msg('Sent');
export const stepOpened = (opens: number, openLimit: number) => msg(str`Opened ${opens} of ${openLimit}`);
export const stepSubmitted = () => msg('Submitted');
export const stepViewed = () => msg('Viewed');
export const stepExpired = () => msg('Expired');
export const stepCancelled = () => msg('Cancelled');
export const answers = () => msg('Answers');
export const countdown = (left: string) => msg(str`Off-the-record answers are deleted from this page in ${left}.`);
export const offTheRecordDeleted = () => msg('Off-the-record answers were deleted from this page when their time ran out.');
export const countdownSoon = (seconds: number) => msg(str`Off-the-record answers are deleted in ${seconds} seconds`);
export const offTheRecordGone = () => msg('Off-the-record answers deleted');
export const leftOut = () => msg('Some answers are not shown because this form does not ask for them there.');
export const offTheRecord = () => msg('Off the record');
export const deleted = () => msg('Deleted');
export const hidden = () => msg('Hidden');
export const hiddenCard = (lastFour: string) => msg(str`Hidden, ending in ${lastFour}`);
export const hiddenCardBrand = (brand: string, lastFour: string) => msg(str`Hidden, ${brand} ending in ${lastFour}`);
export const reveal = (label: string) => msg(str`Reveal ${label}`);
export const copy = (label: string) => msg(str`Copy ${label}`);
