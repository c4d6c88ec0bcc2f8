/**
 * Which answers of an opened part the panel shows: the fields the form puts in that part, and
 * nothing else. The backend cannot see inside the frame's envelopes; a modified frame can put a
 * CVV in the on-the-record part, or text under an id the form does not have. The backend's
 * history view drops such fields before it re-seals; the panel does the same on its side.
 */
import { isOffTheRecord, type Answers, type FormSummary, type RecordPart } from '@secure-forms/shared';

/**
 * The answers of `part` that `form` puts there, in a Map (no inherited member can answer for a
 * field id), and how many others were dropped. Without the form (the catalog did not load) the
 * panel cannot tell, and keeps them all.
 */
export function answersOfPart(
  form: FormSummary | undefined,
  part: RecordPart,
  answers: Answers,
): { kept: Map<string, string>; dropped: number } {
  const kept = new Map<string, string>();
  let dropped = 0;
  const fields = form ? new Map(form.fields.map((f) => [f.id, f])) : null;
  for (const [id, value] of Object.entries(answers)) {
    const field = fields?.get(id);
    const inPart =
      !fields ||
      (field !== undefined &&
        isOffTheRecord({ type: field.type, offTheRecord: field.offTheRecord ?? false }) === (part === 'off-the-record'));
    if (inPart) kept.set(id, value);
    else dropped++;
  }
  return { kept, dropped };
}
