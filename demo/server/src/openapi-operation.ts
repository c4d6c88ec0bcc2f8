/** One operation of the API's table (openapi-operations.ts), as openapi.ts turns it into the document. */
import type * as z from 'zod';
import type { ErrorCode } from '@secure-forms/shared';

/** `apiCredential`: `Authorization: Bearer <API credential>`, the brand chat server's (never from a browser). */
export type Credential = 'session' | 'conversation' | 'otk' | 'apiCredential';

export interface Operation {
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  /** Stable, for generated clients. */
  operationId: string;
  summary: string;
  credentials: Credential[];
  /** Refusals of this operation beyond those of its credentials and of every request. */
  refuses: ErrorCode[];
  request?: string;
  /**
   * The query parameters: the object schema the route parses them with (one parameter per
   * property, optional where the property is) and what each one is for.
   */
  query?: { schema: z.core.$ZodObject; describe: Record<string, string> };
  /** A `text/plain` body the operation takes instead of JSON: what it holds, and its schema. */
  textRequest?: { description: string; schema: z.core.$ZodType };
  /** Success statuses: the schema name of the body, or null (no body, or an event stream). */
  responses: Record<string, string | null>;
  /** An event stream (SSE): the schema of each `data:` line. */
  events?: string;
}
