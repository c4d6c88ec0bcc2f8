import { baseCss } from '../../styles/theme.js';

export default `${baseCss}
  :host { display: block; max-width: 100%; }
  .base {
    display: grid; gap: 0.5rem; padding: 0.75rem; min-width: 0;
    border: 1px solid var(--_border); border-radius: var(--secure-form-border-radius, 4px); background: var(--_bg);
  }
  p { margin: 0; }
  .label { font-size: 0.875rem; font-weight: 600; color: var(--_text2); }
  .title { font-weight: 700; overflow-wrap: anywhere; }
  .status--done { color: var(--_success); font-weight: 600; }
  .message { display: grid; gap: 0.5rem; justify-items: start; padding: 0.5rem 0.75rem; border-inline-start: 5px solid var(--_error); }
  .message--empty { padding: 0; border: 0; }
  .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; }
  .frame-container:empty { display: none; }
  /* Where focus is in the frame, brought into view for WebKit (frame-channel.ts): empty, never hit. */
  .frame-container, .dialog-body { position: relative; }
  .focus-strip { position: absolute; inset-inline: 0; pointer-events: none; }
  .frame {
    display: block; width: 100%; min-height: var(--secure-form-frame-min-height, 200px);
    height: var(--secure-form-frame-height, 480px);
    /* A shadow, not a border, so the height the frame reports is the height it gets. */
    border: 0; box-shadow: 0 0 0 1px var(--_border); border-radius: var(--secure-form-border-radius, 4px);
    background: var(--_bg); color-scheme: normal;
  }
  .dialog {
    width: 100%; max-width: 100%; height: 100%; max-height: 100%; margin: 0; padding: 0; border: 0;
    background: var(--_bg); color: var(--_text);
  }
  .dialog[open] { display: flex; flex-direction: column; }
  .dialog::backdrop { background: var(--secure-form-backdrop, rgb(0 0 0 / 0.6)); }
  .dialog-header {
    display: flex; align-items: center; justify-content: space-between; gap: 0.5rem; padding: 0.5rem 0.75rem;
    border-bottom: 1px solid var(--_border);
  }
  .dialog-title { font-weight: 700; overflow-wrap: anywhere; min-width: 0; }
  /* In the dialog the frame fills the space and scrolls itself, where focus can follow; grown to the
     height it reports, it would turn the dialog body into a scroll region with nothing focusable. */
  .dialog-body { flex: 1; min-height: 0; display: flex; flex-direction: column; overflow: hidden; padding: 0.5rem; }
  .dialog .frame { flex: 1; height: auto !important; min-height: 0; box-shadow: none; }
`;
