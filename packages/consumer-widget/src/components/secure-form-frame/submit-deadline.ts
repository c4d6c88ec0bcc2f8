import { msg } from '@lit/localize';
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import { extendOffer, timeLeftText, WARN_BEFORE_MS, warningAnnouncement } from './time-left.js';

/** What the time parts show besides the clock: whether more time can be asked for, and whether it is being asked. */
export interface Extensions {
  /** How many more times the deadline can be moved. */
  readonly left: number;
  /** A "Give me more time" request is on its way (the button is then inert). */
  readonly extending: boolean;
  /** "Give me more time". */
  readonly extend: () => Promise<void>;
}

/**
 * The submit key's deadline and the clock it is shown against: ticks every second while `running`
 * says so, calls `expired` once the deadline has passed, and renders the time left, the warning
 * {@link WARN_BEFORE_MS} before the end (announced at steps only) and its "Give me more time".
 */
export class SubmitDeadline implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #running: () => boolean;
  readonly #expired: () => void;
  #deadline = 0;
  #now = Date.now();
  #timer = 0;

  /**
   * @param running Whether the form shows (the clock only moves then).
   * @param expired Called at each tick past the deadline while `running`.
   */
  constructor(host: ReactiveControllerHost, running: () => boolean, expired: () => void) {
    this.#host = host;
    this.#running = running;
    this.#expired = expired;
    host.addController(this);
  }

  hostConnected(): void {
    this.#timer = window.setInterval(() => this.#tick(), 1000);
  }

  hostDisconnected(): void {
    window.clearInterval(this.#timer);
  }

  /** Moves the deadline (an ISO time) and the clock to now. */
  set(deadline: string): void {
    this.#deadline = Date.parse(deadline);
    this.#now = Date.now();
    this.#host.requestUpdate();
  }

  /** Milliseconds left until the deadline, on the last tick's clock. */
  get msLeft(): number {
    return this.#deadline - this.#now;
  }

  /** What the time left is, as a sentence. */
  get text(): string {
    return timeLeftText(this.msLeft);
  }

  #tick(): void {
    if (!this.#running()) return;
    this.#now = Date.now();
    this.#host.requestUpdate();
    if (this.#now >= this.#deadline) this.#expired();
  }

  /**
   * The time left, or once within {@link WARN_BEFORE_MS} of the deadline, the warning and its
   * alert. The alert is shown with its text at once when the warning starts (an alert that appears
   * is announced); the ticking seconds stay out of any live region (the alert speaks at steps).
   * (Said here rather than in HTML comments, which would ship in the frame's script.)
   */
  render({ left, extending, extend }: Extensions): TemplateResult {
    const warning = this.msLeft <= WARN_BEFORE_MS;
    return html`${!warning ? html`<p part="deadline" class="deadline">${this.text}</p>` : nothing}
      <p part="time-alert" class="visually-hidden" role="alert" ?hidden=${!warning}>
        ${warning ? warningAnnouncement(this.msLeft, left > 0) : ''}
      </p>
      <div part="time-warning" class="warning ${warning ? '' : 'warning--empty'}">
        ${
          warning
            ? html`<p><strong>${this.text}</strong></p>
                <p>${extendOffer(left > 0)}</p>
                ${
                  left > 0
                    ? html`<button
                        part="extend-button"
                        class="button"
                        type="button"
                        aria-disabled=${extending ? 'true' : 'false'}
                        @click=${extend}
                      >
                        ${msg('Give me more time')}
                      </button>`
                    : nothing
                }`
            : nothing
        }
      </div>`;
  }
}
