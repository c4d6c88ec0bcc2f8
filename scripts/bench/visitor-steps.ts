// The visitor's three requests of a round trip, as autocannon steps, written once for every bench
// that drives them (the demo's and the essential floor's round trips in load.mjs, the memory fill
// in memory.mjs): open the invitation with the conversation token for its view key, view the form
// with that key for the submit key, submit the sealed envelopes with that one. Each step runs only
// once the one before it answered (a step's setupRequest returning null ends the sequence).
import { otkAuthorization } from './api.mjs';

/** The JSON of a response body, or {} when it is not JSON. */
export function parseJson(body) {
  try {
    return JSON.parse(body);
  } catch {
    return {};
  }
}

/**
 * Open, view and submit, after a step that put the invitation's id in `ctx.invitationId`.
 * @param {{ base: string, token: (ctx: object) => string, envelopes: object,
 *   failed?: (step: string, status: number) => void, submitted: (body: object, ctx: object) => void }} o
 *   `base`: the routes' prefix ('/v1', or the essential floor's '/essential'); `token`: the
 *   conversation token for this sequence; `envelopes`: the sealed submission without its
 *   invitation id (sealed once: sealing is the browser's work, not the backend's); `submitted`:
 *   called with the submit answer's JSON on 201.
 */
export function visitorSteps({ base, token, envelopes, failed = () => undefined, submitted }) {
  const json = { 'Content-Type': 'application/json' };
  // The submission body without its invitation id, spliced in per request.
  const envelopesJson = JSON.stringify(envelopes).slice(1, -1);
  return [
    {
      method: 'POST',
      setupRequest: (req, ctx) =>
        ctx.invitationId
          ? { ...req, path: `${base}/invitations/${ctx.invitationId}/open`, headers: { 'Secure-Forms-Conversation': token(ctx) } }
          : null,
      onResponse: (status, body, ctx) => {
        if (status === 200) ctx.viewOtk = parseJson(body).viewOtk;
        else failed('open', status);
      },
    },
    {
      method: 'POST',
      setupRequest: (req, ctx) =>
        ctx.viewOtk ? { ...req, path: `${base}/forms/view`, headers: { Authorization: otkAuthorization(ctx.viewOtk) } } : null,
      onResponse: (status, body, ctx) => {
        if (status === 200) ctx.submitOtk = parseJson(body).submitOtk;
        else failed('view', status);
      },
    },
    {
      method: 'POST',
      setupRequest: (req, ctx) =>
        ctx.submitOtk
          ? {
              ...req,
              path: `${base}/submissions`,
              headers: { ...json, Authorization: otkAuthorization(ctx.submitOtk) },
              body: `{"invitationId":${JSON.stringify(ctx.invitationId)},${envelopesJson}}`,
            }
          : null,
      onResponse: (status, body, ctx) => {
        if (status === 201) submitted(parseJson(body), ctx);
        else failed('submit', status);
      },
    },
  ];
}
