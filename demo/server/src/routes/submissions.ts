import { historyViewRequestSchema, submitRequestSchema } from '@secure-forms/shared';
import type { Hono } from 'hono';
import { requireOtk, requireSession } from '../http/auth.js';
import { auditAs, note, type AppContext, type AppEnv } from '../http/context.js';
import { visitorActor } from '../audit/actors.js';
import { formViewQuery, readBody } from '../http/validation.js';
import { requireP256Point } from '../domain/public-keys.js';
import type { Services } from '../domain/services.js';
import { formAnswer, iso } from '../domain/views.js';
import type { InvitationRow } from '../storage/types.js';

/** The visitor of the invitation's conversation is the one acting: the audit line says so, and where. */
function noteVisitor(c: AppContext, invitation: InvitationRow, details: { invitationId?: string; submissionId?: string }): void {
  note(c, {
    actor: visitorActor(invitation.conversationId),
    siteId: invitation.siteId,
    conversationId: invitation.conversationId,
    ...details,
  });
}

export function submissionRoutes(api: Hono<AppEnv>, s: Services): void {
  api.post('/forms/view', async (c) => {
    auditAs(c, 'form.view');
    const otk = requireOtk(c);
    // Read before the key is spent: a query it refuses leaves the key as it was.
    const query = formViewQuery(c);
    const { response, invitation } = await s.submissions.viewForm(otk);
    noteVisitor(c, invitation, { invitationId: invitation.id });
    return c.json(formAnswer(response, query));
  });

  api.post('/submissions/extend', async (c) => {
    auditAs(c, 'submission.extend');
    const otk = requireOtk(c);
    const { invitation, ...response } = await s.submissions.extend(otk);
    noteVisitor(c, invitation, { invitationId: invitation.id });
    return c.json(response);
  });

  api.post('/submissions', async (c) => {
    auditAs(c, 'submission.submit');
    const otk = requireOtk(c);
    const body = await readBody(c, submitRequestSchema);
    note(c, { invitationId: body.invitationId });
    const { submission, invitation } = await s.submissions.submit(otk, body);
    noteVisitor(c, invitation, { submissionId: submission.id });
    return c.json({ submissionId: submission.id }, 201);
  });

  api.post('/submissions/:sid/retrieve', async (c) => {
    const sid = c.req.param('sid');
    auditAs(c, 'submission.retrieve', { submissionId: sid });
    const otk = requireOtk(c);
    const { operator } = await requireSession(c, s);
    const { response, invitation } = await s.submissions.retrieve(operator, sid, otk);
    note(c, { conversationId: invitation.conversationId, invitationId: invitation.id });
    return c.json(response);
  });

  api.post('/submissions/:sid/retrieve-otk', async (c) => {
    const sid = c.req.param('sid');
    auditAs(c, 'submission.retrieve-otk', { submissionId: sid });
    const { operator } = await requireSession(c, s);
    const { otk, expiresAt, invitation } = await s.submissions.retrieveOtk(operator, sid);
    note(c, { conversationId: invitation.conversationId, invitationId: invitation.id });
    return c.json({ retrieveOtk: otk, expiresAt: iso(expiresAt) });
  });

  api.post('/submissions/:sid/history-view', async (c) => {
    const sid = c.req.param('sid');
    auditAs(c, 'history.view', { submissionId: sid });
    const { operator } = await requireSession(c, s);
    const body = await readBody(c, historyViewRequestSchema);
    requireP256Point(body.publicKey);
    const { response, invitation, droppedFields } = await s.history.view(operator, sid, body.publicKey);
    note(c, { conversationId: invitation.conversationId, invitationId: invitation.id, ...(droppedFields ? { droppedFields } : {}) });
    return c.json(response);
  });
}
