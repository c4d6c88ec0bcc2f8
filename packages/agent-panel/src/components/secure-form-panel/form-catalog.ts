/**
 * The forms this site lets the agent send (`GET /v1/forms`), loaded once per scope, and the one
 * picked to send. The catalogue also labels the answers, in history mode too.
 */
import type { FormSummary } from '@secure-forms/shared';
import { isAbortError, type PanelApiClient } from '../../internal/api-client.js';
import { problemCode } from '../../internal/problems.js';
import type { PanelContext, PanelHost } from './panel-context.js';

/** The form to pick in `forms`: `selected` while it is listed, else the first (`''` when none). */
export function pickForm(forms: readonly FormSummary[], selected: string): string {
  return forms.some((f) => f.id === selected) ? selected : (forms[0]?.id ?? '');
}

/** Loads the catalogue for the panel's open scope and keeps the agent's pick. */
export class FormCatalog {
  readonly #host: PanelHost;
  readonly #ctx: PanelContext;
  #forms: FormSummary[] | null = null;
  #failed = false;
  #selected = '';

  constructor(host: PanelHost, context: PanelContext) {
    this.#host = host;
    this.#ctx = context;
  }

  /** The forms, once loaded (`null` before; empty when none, or when loading failed). */
  get forms(): FormSummary[] | null {
    return this.#forms;
  }

  /** Loading the catalogue failed (the panel shows why). */
  get failed(): boolean {
    return this.#failed;
  }

  /** The id of the form picked to send (the first listed until the agent picks one). */
  get selected(): string {
    return this.#selected;
  }

  set selected(formId: string) {
    this.#selected = formId;
    this.#host.requestUpdate();
  }

  /** Forget the forms (the scope closed); the pick stays for the next scope, while listed. */
  clear(): void {
    this.#forms = null;
    this.#failed = false;
  }

  /** Load the forms. `quiet` (history mode): a failure only costs the answers' labels. */
  async load(api: PanelApiClient, quiet: boolean): Promise<void> {
    try {
      const forms = await api.listForms();
      if (api.closed) return;
      this.#forms = forms;
      this.selected = pickForm(forms, this.#selected);
    } catch (error) {
      if (api.closed || isAbortError(error) || quiet) return;
      this.#forms = [];
      this.#failed = true;
      this.#ctx.fail(problemCode(error));
    }
  }
}
