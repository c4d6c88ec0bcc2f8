import { API_PREFIX, createInvitationRequestSchema } from '@secure-forms/shared';
import type { Hono } from 'hono';
import { plainTextToken, requireSession, requireVisitorOf } from '../http/auth.js';
import { auditAs, note, type AppEnv } from '../http/context.js';
import { Refusal } from '../domain/refusal.js';
import { formViewQuery, readBody } from '../http/validation.js';
import { bodyLimit } from '../middleware/body-limit/index.js';
import type { PlainTextRoute } from '../middleware/json-only/index.js';
import type { Services } from '../domain/services.js';
import { formAnswer, iso, opensLeft } from '../domain/views.js';

/**
 * The open request may carry the conversation token as a `text/plain` body instead of the header:
 * with no custom header and a simple content type it is a CORS simple request, so the visitor's
 * browser sends it at once instead of after a preflight round trip (each invitation has its own
 * URL, so no preflight cache would spare it). The Origin is still checked, for the conversation's
 * site, before the invitation is opened.
 */
export const OPEN_TAKES_TEXT: PlainTextRoute = { method: 'POST', path: new RegExp(`^${API_PREFIX}/invitations/[^/]+/open$`) };
/** A token is at most 128 characters: a body past this is not one, and is not read. */
export const OPEN_BODY_LIMIT = 512;

/** The invitation routes: send, read, cancel (the sender's); open, and open with the form (the visitor's). */
export function invitationRoutes(api: Hono<AppEnv>, s: Services): void {
  api.post('/conversations/:cid/invitations', async (c) => {
    const cid = c.req.param('cid');
    auditAs(c, 'invitation.send', { conversationId: cid });
    const { operator } = await requireSession(c, s);
    const body = await readBody(c, createInvitationRequestSchema);
    const invitation = await s.invitations.create(operator, cid, body);
    note(c, { invitationId: invitation.id });
    return c.json(s.invitations.view(invitation), 201);
  });

  api.get('/invitations/:iid', async (c) => {
    const { operator } = await requireSession(c, s);
    note(c, { invitationId: c.req.param('iid') });
    return c.json(s.invitations.view(await s.invitations.forSender(operator, c.req.param('iid'))));
  });

  api.post('/invitations/:iid/cancel', async (c) => {
    const iid = c.req.param('iid');
    auditAs(c, 'invitation.cancel', { invitationId: iid });
    const { operator } = await requireSession(c, s);
    const invitation = await s.invitations.cancel(operator, iid);
    note(c, { conversationId: invitation.conversationId });
    return c.json(s.invitations.view(invitation));
  });

  api.post('/invitations/:iid/open', bodyLimit(OPEN_BODY_LIMIT), async (c) => {
    const iid = c.req.param('iid');
    auditAs(c, 'invitation.open', { invitationId: iid });
    const token = await plainTextToken(c);
    const { invitation, conversation: read } = await s.invitations.getWithConversation(iid).catch(() => {
      throw new Refusal('NOT_FOUND', 'There is no such invitation.');
    });
    const conversation = requireVisitorOf(c, s, read, token);
    const opened = await s.invitations.open(conversation, invitation);
    return c.json({ viewOtk: opened.viewOtk, expiresAt: iso(opened.expiresAt), opensLeft: opensLeft(opened.invitation) });
  });

  // The frame's one request on open: the open above and `POST /forms/view` in one round trip. The
  // frame is on this origin, so the token travels in its header without a preflight; no body.
  api.post('/invitations/:iid/view', async (c) => {
    const iid = c.req.param('iid');
    auditAs(c, 'form.open', { invitationId: iid });
    // Read before anything is counted: a query it refuses opens nothing.
    const query = formViewQuery(c);
    const { invitation, conversation: read } = await s.invitations.getWithConversation(iid);
    const conversation = requireVisitorOf(c, s, read);
    const { response } = await s.submissions.openForm(conversation, invitation);
    return c.json(formAnswer(response, query));
  });
}
