import { LitElement, html, nothing, type ReactiveController } from 'lit';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FocusController } from './focus-controller.js';
import { IDLE_WARNING_MS, IdleController } from './idle-controller.js';
import { CLIPBOARD_CLEAR_MS, REVEAL_MS, RevealController } from './reveal-controller.js';
import {
  SecureFormPanelClearedEvent,
  SecureFormPanelErrorEvent,
  SecureFormPanelSentEvent,
  SecureFormPanelStatusEvent,
  SecureFormPanelSubmittedEvent,
} from './secure-form-panel.events.js';
import { VisibilityController } from './visibility-controller.js';

/** A bare element that hosts controllers as a LitElement would, counting its update requests. */
class Host extends HTMLElement {
  readonly controllers: ReactiveController[] = [];
  updates = 0;
  addController(controller: ReactiveController): void {
    this.controllers.push(controller);
  }
  removeController(): void {}
  requestUpdate(): void {
    this.updates++;
  }
  get updateComplete(): Promise<boolean> {
    return Promise.resolve(true);
  }
  connectedCallback(): void {
    for (const c of this.controllers) c.hostConnected?.();
  }
  disconnectedCallback(): void {
    for (const c of this.controllers) c.hostDisconnected?.();
  }
}
customElements.define('panel-controller-host', Host);

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe('IdleController', () => {
  function setup(timeoutMs = 1_000) {
    vi.useFakeTimers();
    const host = new Host();
    const calls: string[] = [];
    const idle = new IdleController(host, {
      timeoutMs: () => timeoutMs,
      onIdle: () => calls.push(`idle (${idle.state})`),
      onPageHide: () => calls.push('hide'),
      onPageRestore: () => calls.push('restore'),
    });
    document.body.append(host);
    return { host, idle, calls };
  }

  /** A press (pointerdown) on a button in the page with the part `part`. */
  function press(part: string): void {
    const button = document.body.appendChild(document.createElement('button'));
    button.setAttribute('part', part);
    button.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    button.remove();
  }

  it('calls onIdle after the timeout without activity, and activity restarts the timer', () => {
    const { idle, calls } = setup();
    idle.arm();
    vi.advanceTimersByTime(900);
    document.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true }));
    vi.advanceTimersByTime(900);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(100);
    expect(calls).toEqual(['idle (cleared)']);
  });

  it('warns IDLE_WARNING_MS before the clear, and activity ends the warning and restarts both timers', () => {
    const { idle, calls } = setup(90_000);
    idle.arm();
    vi.advanceTimersByTime(90_000 - IDLE_WARNING_MS - 1);
    expect(idle.state).toBe('active');
    vi.advanceTimersByTime(1);
    expect(idle.state).toBe('warned');
    document.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    expect(idle.state).toBe('active');
    vi.advanceTimersByTime(90_000 - IDLE_WARNING_MS);
    expect([idle.state, calls]).toEqual(['warned', []]);
    vi.advanceTimersByTime(IDLE_WARNING_MS);
    expect([idle.state, calls]).toEqual(['cleared', ['idle (cleared)']]);
    expect(IDLE_WARNING_MS).toBeGreaterThanOrEqual(20_000);
  });

  it('keeps the warning through a press of "I\'m still here" (its click ends it) but not through a press elsewhere', () => {
    const { idle } = setup(90_000);
    idle.arm();
    vi.advanceTimersByTime(90_000 - IDLE_WARNING_MS);
    press('stay-button');
    expect(idle.state).toBe('warned');
    vi.advanceTimersByTime(90_000 - IDLE_WARNING_MS - 1);
    expect(idle.state).toBe('warned');
    press('title');
    expect(idle.state).toBe('active');
  });

  it('ends the warning when the host arms or disarms it, and asks the host for an update at each change', () => {
    const { host, idle } = setup(90_000);
    idle.arm();
    const updates = host.updates;
    vi.advanceTimersByTime(90_000 - IDLE_WARNING_MS);
    idle.arm();
    expect([idle.state, host.updates - updates]).toEqual(['active', 2]);
    vi.advanceTimersByTime(90_000 - IDLE_WARNING_MS);
    idle.disarm();
    expect([idle.state, host.updates - updates]).toEqual(['active', 4]);
    vi.advanceTimersByTime(90_000);
    expect(idle.state).toBe('active');
  });

  it('stays cleared through activity until reset', () => {
    const { host, idle } = setup();
    idle.arm();
    vi.advanceTimersByTime(1_000);
    document.dispatchEvent(new KeyboardEvent('keydown', { bubbles: true }));
    idle.disarm();
    expect(idle.state).toBe('cleared');
    const updates = host.updates;
    idle.reset();
    expect([idle.state, host.updates - updates]).toEqual(['active', 1]);
  });

  it('does not warn when the timeout is no longer than the warning', () => {
    const { idle, calls } = setup(IDLE_WARNING_MS);
    idle.arm();
    vi.advanceTimersByTime(IDLE_WARNING_MS - 1);
    expect(idle.state).toBe('active');
    vi.advanceTimersByTime(1);
    expect(calls).toEqual(['idle (cleared)']);
  });

  it('runs no timer when the timeout is 0, and none after disarm or disconnect', () => {
    const off = setup(0);
    off.idle.arm();
    vi.advanceTimersByTime(10_000);
    expect([off.idle.state, off.calls]).toEqual(['active', []]);
    const on = setup();
    on.idle.arm();
    on.host.remove();
    document.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    vi.advanceTimersByTime(10_000);
    expect([on.idle.state, on.calls]).toEqual(['active', []]);
  });

  it('hands pagehide and a pageshow from the back/forward cache to the host, and stops listening when disconnected', () => {
    const { host, calls } = setup();
    dispatchEvent(new PageTransitionEvent('pagehide'));
    dispatchEvent(new PageTransitionEvent('pageshow', { persisted: false }));
    dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    host.remove();
    dispatchEvent(new PageTransitionEvent('pagehide'));
    expect(calls).toEqual(['hide', 'restore']);
  });
});

describe('RevealController', () => {
  function setup(expire: (now: number, onDrop: (key: string) => void) => boolean = () => false) {
    const host = new Host();
    const announced: string[] = [];
    const reveal = new RevealController(host, { expire, announce: (text) => announced.push(text) });
    return { host, reveal, announced };
  }

  it('reveals one value at a time and hides it again after REVEAL_MS', () => {
    vi.useFakeTimers();
    const { reveal } = setup();
    reveal.toggle('a');
    reveal.toggle('b');
    expect(reveal.revealedKey).toBe('b');
    vi.advanceTimersByTime(REVEAL_MS);
    expect(reveal.revealedKey).toBeNull();
    reveal.toggle('a');
    reveal.toggle('a');
    expect(reveal.revealedKey).toBeNull();
  });

  it('clears the clipboard after CLIPBOARD_CLEAR_MS only if it still holds what was copied', async () => {
    vi.useFakeTimers();
    let clipboard = '';
    vi.spyOn(navigator.clipboard, 'writeText').mockImplementation((text) => Promise.resolve(void (clipboard = text)));
    vi.spyOn(navigator.clipboard, 'readText').mockImplementation(() => Promise.resolve(clipboard));
    const { reveal, announced } = setup();
    await reveal.copy('4111');
    expect([clipboard, announced]).toEqual(['4111', ['Copied; clipboard clears in 30 seconds']]);
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS);
    expect(clipboard).toBe('');
    await reveal.copy('737');
    clipboard = 'something else';
    await vi.advanceTimersByTimeAsync(CLIPBOARD_CLEAR_MS);
    expect(clipboard).toBe('something else');
  });

  it('says so when the copy is refused', async () => {
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new DOMException('denied', 'NotAllowedError'));
    const { reveal, announced } = setup();
    await reveal.copy('4111');
    expect(announced).toEqual(['The value could not be copied. Reveal it and copy it by hand.']);
  });

  it('ticks every second while a countdown runs, hiding a dropped value that was revealed', () => {
    vi.useFakeTimers();
    let left = 2;
    const { reveal, host } = setup((_now, onDrop) => {
      if (--left > 0) return true;
      onDrop('otr');
      return false;
    });
    reveal.toggle('otr');
    reveal.tick();
    expect(reveal.revealedKey).toBe('otr');
    vi.advanceTimersByTime(1_000);
    expect(reveal.revealedKey).toBeNull();
    const updates = host.updates;
    vi.advanceTimersByTime(5_000);
    expect(host.updates).toBe(updates);
  });
});

describe('VisibilityController', () => {
  it('notices when the host stops being laid out (display: none) and asks for an update', async () => {
    const host = new Host();
    host.style.display = 'block';
    host.style.height = '10px';
    const visibility = new VisibilityController(host);
    document.body.append(host);
    await vi.waitFor(() => expect(host.updates).toBe(0));
    expect(visibility.visible).toBe(true);
    host.style.display = 'none';
    await vi.waitFor(() => expect(visibility.visible).toBe(false));
    expect(host.updates).toBe(1);
    host.style.display = 'block';
    await vi.waitFor(() => expect(visibility.visible).toBe(true));
  });

  it('is not visible while the host is hidden, laid out or not', () => {
    const host = new Host();
    host.style.display = 'block';
    host.hidden = true;
    const visibility = new VisibilityController(host);
    document.body.append(host);
    expect(visibility.visible).toBe(false);
    host.hidden = false;
    expect(visibility.visible).toBe(true);
  });
});

describe('panel events', () => {
  it('are named secure-form-panel-*, bubble out of the shadow root and carry the detail', () => {
    const events = [
      new SecureFormPanelSentEvent({ invitationId: 'i', formId: 'f' }),
      new SecureFormPanelStatusEvent({ invitationId: 'i', state: 'opened' }),
      new SecureFormPanelSubmittedEvent({ invitationId: 'i', submissionId: 's' }),
      new SecureFormPanelErrorEvent({ code: 'NETWORK' }),
      new SecureFormPanelClearedEvent({ reason: 'idle' }),
    ];
    expect(events.map((e) => e.type)).toEqual([
      'secure-form-panel-sent',
      'secure-form-panel-status',
      'secure-form-panel-submitted',
      'secure-form-panel-error',
      'secure-form-panel-cleared',
    ]);
    expect(events.every((e) => e.bubbles && e.composed)).toBe(true);
    expect(events[3]!.detail).toEqual({ code: 'NETWORK' });
    expect(SecureFormPanelSubmittedEvent.type).toBe('secure-form-panel-submitted');
  });
});

/** A host whose update can remove the focused button. */
class FocusHost extends LitElement {
  static override properties = { shown: { attribute: false } };
  shown = true;
  readonly focusing = new FocusController(this);
  protected override render() {
    return html`<h3 id="title" tabindex="-1">Title</h3>
      ${this.shown ? html`<button id="gone">Gone</button>` : nothing}<button id="next">Next</button>`;
  }
}
customElements.define('focus-controller-host', FocusHost);

describe('FocusController', () => {
  async function setup() {
    const host = document.createElement('focus-controller-host') as FocusHost;
    document.body.append(host);
    await host.updateComplete;
    host.shadowRoot!.querySelector<HTMLElement>('#gone')!.focus();
    return host;
  }

  it('moves focus to the heading when an update removes the focused element', async () => {
    const host = await setup();
    host.shown = false;
    await host.updateComplete;
    expect(host.shadowRoot!.activeElement?.id).toBe('title');
  });

  it('moves it where after() said instead, once', async () => {
    const host = await setup();
    host.focusing.after('#next');
    host.shown = false;
    await host.updateComplete;
    expect(host.shadowRoot!.activeElement?.id).toBe('next');
    host.shown = true;
    await host.updateComplete;
    host.shadowRoot!.querySelector<HTMLElement>('#gone')!.focus();
    host.shown = false;
    await host.updateComplete;
    expect(host.shadowRoot!.activeElement?.id).toBe('title');
  });

  it('leaves focus alone when the focused element stays', async () => {
    const host = await setup();
    host.focusing.after('#next');
    await host.updateComplete;
    expect(host.shadowRoot!.activeElement?.id).toBe('gone');
  });
});
