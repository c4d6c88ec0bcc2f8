/**
 * The operations of the visitor's form, for the OpenAPI document (openapi-operations.ts lists them
 * with the rest, in their place): the open, the form's answer (in one request, or for a view key),
 * the submission and the submit window's extension.
 */
import * as shared from '@secure-forms/shared';
import type { ErrorCode } from '@secure-forms/shared';
import type { Operation } from './openapi-operation.js';
import { OPEN_BODY_LIMIT } from './routes/invitations.js';

/**
 * What a request with a view or submit key is refused when its invitation is no longer open for
 * answers (Submissions' openInvitation: gone, its conversation ended, or the invitation finished).
 */
const KEYED_FORM_REFUSALS: ErrorCode[] = [
  'NOT_FOUND',
  'CONVERSATION_CLOSED',
  'INVITATION_EXPIRED',
  'INVITATION_CANCELLED',
  'ALREADY_SUBMITTED',
];

/**
 * What an open is refused (the one-request open too): what a keyed request is, and the open
 * limit once the invitation was opened as often as it may be.
 */
const OPEN_REFUSALS: ErrorCode[] = [...KEYED_FORM_REFUSALS, 'OPEN_LIMIT_REACHED'];

/** The query of the two requests that answer the form. */
const FORM_VIEW_QUERY: Operation['query'] = {
  schema: shared.formViewQuerySchema,
  describe: {
    locale: `A BCP 47 language tag, such as \`ar\` or \`fr-CA\`, of 1 to ${shared.LOCALE_TAG_MAX} characters: each text of the form carries, beside its English, only the translations for that tag or its language (what the frame shows for it; a tag with none gets English alone). Without it, every translation. A longer or empty one is refused (VALIDATION_FAILED) before the open is counted or the key spent.`,
  },
};

export const VISITOR_FORM_OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/invitations/{iid}/open',
    operationId: 'openInvitation',
    refuses: [...OPEN_REFUSALS, 'VALIDATION_FAILED'],
    summary: 'The visitor opens an invitation: a view OTK',
    credentials: ['conversation'],
    textRequest: {
      description:
        `The conversation token alone, instead of the ${shared.CONVERSATION_HEADER} header (not both): ` +
        'with no custom header a browser sends it as a CORS simple request, without a preflight. ' +
        "The Origin is still checked against the conversation's site before anything happens. " +
        `At most ${OPEN_BODY_LIMIT} bytes.`,
      schema: shared.tokenSchema,
    },
    responses: { '200': 'OpenInvitationResponse' },
  },
  {
    method: 'post',
    path: '/invitations/{iid}/view',
    operationId: 'openForm',
    refuses: [...OPEN_REFUSALS, 'FORM_NOT_FOUND', 'VALIDATION_FAILED'],
    summary:
      "The form frame's one request on open: the open counted as by `POST /invitations/{iid}/open`, and the form, its keys and a submit OTK as from `POST /forms/view`, with the opens left; no view OTK, no body. The two-request open (those two routes) stays supported",
    credentials: ['conversation'],
    query: FORM_VIEW_QUERY,
    responses: { '200': 'OpenFormResponse' },
  },
  {
    method: 'post',
    path: '/forms/view',
    operationId: 'viewForm',
    refuses: [...KEYED_FORM_REFUSALS, 'VALIDATION_FAILED'],
    summary: 'Redeem a view OTK',
    credentials: ['otk'],
    query: FORM_VIEW_QUERY,
    responses: { '200': 'ViewFormResponse' },
  },
  {
    method: 'post',
    path: '/submissions',
    operationId: 'submitAnswers',
    refuses: KEYED_FORM_REFUSALS,
    summary: 'Submit sealed answers',
    credentials: ['otk'],
    request: 'SubmitRequest',
    responses: { '201': 'SubmitResponse' },
  },
  {
    method: 'post',
    path: '/submissions/extend',
    operationId: 'extendSubmitWindow',
    refuses: KEYED_FORM_REFUSALS,
    summary: 'Trade the submit OTK for more time',
    credentials: ['otk'],
    responses: { '200': 'ExtendResponse' },
  },
];
