/**
 * What may be re-sealed from an on-the-record part: the form version's on-the-record fields, and
 * nothing else. The backend cannot see inside the frame's envelopes when they arrive; a modified
 * frame can put a CVV, or any other text, inside the on-the-record one. Whoever opens that part
 * (the history view here, the agent's panel on its side) keeps only these fields.
 */
import { isOffTheRecord, type Answers, type FormDefinition } from '@secure-forms/shared';

/** What was left out, for the audit line: how many, and which of the form's own field ids. */
export interface DroppedFields {
  count: number;
  /**
   * Ids the form defines (off-the-record fields). An id the form does not define is text the
   * sender chose and could carry a value, so it is counted and not named.
   */
  fieldIds: string[];
}

/** The on-the-record answers of `form`, and what was dropped (`null` when nothing was). */
export function onTheRecordOnly(form: Pick<FormDefinition, 'fields'>, answers: Answers): { kept: Answers; dropped: DroppedFields | null } {
  const fields = new Map(form.fields.map((f) => [f.id, f]));
  const kept: [string, string][] = [];
  const dropped: DroppedFields = { count: 0, fieldIds: [] };
  for (const [id, value] of Object.entries(answers)) {
    const field = fields.get(id);
    if (field && !isOffTheRecord(field)) {
      kept.push([id, value]);
      continue;
    }
    dropped.count++;
    if (field) dropped.fieldIds.push(id);
  }
  return { kept: Object.fromEntries(kept), dropped: dropped.count > 0 ? dropped : null };
}
