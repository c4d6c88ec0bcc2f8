/**
 * Request bodies are parsed with the shared zod schemas before any use. A failure lists the
 * field paths and zod's issue codes, never the values that were sent.
 */
import type { Context } from 'hono';
import { type FieldIssue, formViewQuerySchema, LOCALE_TAG_MAX } from '@secure-forms/shared';
import { Refusal } from '../domain/refusal.js';

interface SafeParser<T> {
  safeParse(
    input: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; code: string }> } };
}

export function issuesToFields(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; code: string }>): FieldIssue[] {
  const seen = new Set<string>();
  const fields: FieldIssue[] = [];
  for (const issue of issues) {
    const path = issue.path.map((p) => String(p)).join('.');
    const key = `${path}\u0000${issue.code}`;
    if (seen.has(key)) continue;
    seen.add(key);
    fields.push({ path, reason: issue.code });
  }
  return fields;
}

export function parseWith<T>(schema: SafeParser<T>, input: unknown): T {
  const result = schema.safeParse(input);
  if (!result.success) {
    throw new Refusal('VALIDATION_FAILED', 'The request body is not valid.', issuesToFields(result.error.issues));
  }
  return result.data;
}

/** Read the JSON body and parse it with `schema`. */
export async function readBody<T>(c: Context, schema: SafeParser<T>): Promise<T> {
  const text = await c.req.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    throw new Refusal('VALIDATION_FAILED', 'The request body is not valid JSON.', [{ path: '', reason: 'invalid_json' }]);
  }
  return parseWith(schema, json);
}

/** The request's query parameters parsed with `schema`; refused with VALIDATION_FAILED and `message`. */
export function readQuery<T>(c: Context, schema: SafeParser<T>, message: string): T {
  const result = schema.safeParse(c.req.query());
  if (!result.success) throw new Refusal('VALIDATION_FAILED', message, issuesToFields(result.error.issues));
  return result.data;
}

/** The query of the two requests that answer the form, or a refusal saying what `locale` must be. */
export function formViewQuery(c: Context): { locale?: string | undefined } {
  return readQuery(
    c,
    formViewQuerySchema,
    `The locale must be a language tag of 1 to ${LOCALE_TAG_MAX} characters, such as ar or fr-CA: the one the frame shows. Leave it out for every translation.`,
  );
}
