/**
 * The admin's view of the site's operators in the demo workspace: who is locked out, with a
 * button to let each back in (`GET /v1/operators`, `POST /v1/operators/:id/enable`).
 */
import { operatorListResponseSchema, operatorStatusSchema, type OperatorStatus } from '@secure-forms/shared';
import { html, render } from 'lit';
import { call, type DemoConfig } from './pci-client.js';

export interface OperatorsView {
  config: DemoConfig;
  headers: () => Record<string, string>;
  /** Where the result of an action is said (a polite live region). */
  say: (text: string) => void;
  /** Says why a request failed. */
  describe: (error: unknown) => string;
}

/** Load the operators into `section` (its table body is `#operator-rows`) and show it. */
export async function showOperators(section: HTMLElement, view: OperatorsView): Promise<void> {
  const rows = section.querySelector('tbody')!;
  const draw = (operators: OperatorStatus[]) =>
    render(
      html`${operators.map(
        ({ operator, locked }) =>
          html`<tr>
            <th scope="row">${operator.displayName}</th>
            <td>${operator.username}</td>
            <td>${operator.role}</td>
            <td>${locked ? 'Locked' : 'Active'}</td>
            <td>
              ${
                locked
                  ? html`<button type="button" class="secondary" @click=${() => void enable(operator.id, operator.displayName)}>
                      Re-enable ${operator.displayName}
                    </button>`
                  : null
              }
            </td>
          </tr>`,
      )}`,
      rows,
    );
  const load = async () => draw((await call(view.config, '/operators', operatorListResponseSchema, { headers: view.headers() })).operators);
  const enable = async (id: string, name: string) => {
    try {
      await call(view.config, `/operators/${encodeURIComponent(id)}/enable`, operatorStatusSchema, {
        method: 'POST',
        headers: view.headers(),
      });
      await load();
      // The button that had focus is gone with the lock: focus goes to the table's heading.
      section.querySelector<HTMLElement>('h2')?.focus();
      view.say(`${name} can sign in again.`);
    } catch (error) {
      view.say(view.describe(error));
    }
  };
  try {
    await load();
    section.hidden = false;
  } catch (error) {
    view.say(view.describe(error));
  }
}
