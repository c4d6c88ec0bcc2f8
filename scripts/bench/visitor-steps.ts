// The visitor's two requests of a round trip, as autocannon steps, written once for every bench
// that drives them (the demo's and the essential floor's round trips in load.ts, the memory fill
// in memory.ts), as the frame makes them: open the form with the conversation token in its header
// (one request that counts the open and answers the form with its submit key), then submit the
// sealed envelopes with that key. Each step runs only once the one before it answered (a step's
// setupRequest returning null ends the sequence).
import type { Request } from 'autocannon';
import { CONVERSATION_HEADER, otkAuthorization } from './api.ts';

/**
 * One request of an autocannon sequence, with the sequence's own context object `ctx` (autocannon
 * passes each connection's sequence one, and starts the sequence again when setupRequest returns
 * a falsy value). @types/autocannon types the context as `object` and the return as never falsy,
 * so load.ts and memory.ts hand these to autocannon through `asAutocannonRequests`.
 */
export interface Step<C> {
  method: 'POST';
  setupRequest: (req: Request, ctx: C) => Request | null;
  onResponse: (status: number, body: string, ctx: C) => void;
}

/** `steps` as autocannon's request list (see Step). */
export const asAutocannonRequests = <C>(steps: Step<C>[]): Request[] => steps as unknown as Request[];

/** What the visitor's steps keep in a sequence's context. */
export interface VisitorContext {
  invitationId?: string;
  submitOtk?: string;
}
/** The submit answer's JSON, as far as the bench reads it (the essential floor adds the retrieve key). */
export interface SubmitAnswer {
  submissionId?: string;
  retrieveOtk?: string;
}

/** The JSON of a response body, or {} when it is not JSON. Parsed, not checked: `T` is what the bench reads. */
export function parseJson<T extends object>(body: string): Partial<T> {
  try {
    return JSON.parse(body) as Partial<T>;
  } catch {
    return {};
  }
}

/**
 * Open the form and submit, after a step that put the invitation's id in `ctx.invitationId`.
 *   `base`: the routes' prefix ('/v1', or the essential floor's '/essential'); `token`: the
 *   conversation token for this sequence; `envelopes`: the sealed submission without its
 *   invitation id (sealed once: sealing is the browser's work, not the backend's); `submitted`:
 *   called with the submit answer's JSON on 201.
 */
export function visitorSteps<C extends VisitorContext>({
  base,
  token,
  envelopes,
  failed = () => undefined,
  submitted,
}: {
  base: string;
  token: (ctx: C) => string;
  envelopes: object;
  failed?: (step: string, status: number) => void;
  submitted: (body: SubmitAnswer, ctx: C) => void;
}): Step<C>[] {
  const json = { 'Content-Type': 'application/json' };
  // The submission body without its invitation id, spliced in per request.
  const envelopesJson = JSON.stringify(envelopes).slice(1, -1);
  return [
    {
      // As the frame opens a form: the conversation token in its header, no body, and the
      // visitor's locale in the query (the frame asks for its texts only).
      method: 'POST',
      setupRequest: (req, ctx) =>
        ctx.invitationId
          ? { ...req, path: `${base}/invitations/${ctx.invitationId}/view?locale=en`, headers: { [CONVERSATION_HEADER]: token(ctx) } }
          : null,
      onResponse: (status, body, ctx) => {
        if (status === 200) ctx.submitOtk = parseJson<{ submitOtk: string }>(body).submitOtk;
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
        if (status === 201) submitted(parseJson<SubmitAnswer>(body), ctx);
        else failed('submit', status);
      },
    },
  ];
}
