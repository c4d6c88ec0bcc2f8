/**
 * The brand's chat window: a visitor starts a conversation, talks to an agent, and opens secure
 * forms the agent sends. Card data never passes through here: <secure-form-invite> (defined by the
 * loader script tag) opens the form in a frame from the PCI origin.
 */
import {
  CONVERSATION_HEADER,
  SecureFormsError,
  conversationMessageSchema,
  followEventStream,
  localize,
  messageListResponseSchema,
  startConversationResponseSchema,
  visitorEventSchema,
  type ConversationMessage,
} from '@secure-forms/shared';
import { html } from 'lit';
import { call, loadDemoConfig, type DemoConfig } from './pci-client.js';
import { renderTranscript } from './transcript.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const startForm = $<HTMLFormElement>('start-chat');
const chatWindow = $<HTMLDivElement>('chat-window');
const transcript = $<HTMLOListElement>('transcript');
const sendForm = $<HTMLFormElement>('send-message');
const status = $<HTMLParagraphElement>('chat-status');

// No top-level await before the listeners: a press of "Start chat" while the configuration is
// still loading waits for it ("Connecting…") instead of doing nothing. Until this script runs at
// all, the button is disabled in the HTML, so the form cannot submit itself natively either.
const configReady = loadDemoConfig();
let config: DemoConfig;
startForm.querySelector('button')!.disabled = false;
let messages: ConversationMessage[] = [];
let token = '';
let conversationId = '';

function show(): void {
  renderTranscript(transcript, messages, {
    reader: 'visitor',
    invitation: (m, state) =>
      html`<secure-form-invite
        invitation-id=${m.invitationId}
        form-title=${localize(m.formTitle, navigator.language)}
        pci-origin=${config.pciOrigin}
        site-id=${config.siteId}
        state=${state}
        .conversationToken=${token}
      ></secure-form-invite>`,
  });
}

function add(message: ConversationMessage): void {
  if (messages.some((m) => m.id === message.id)) return;
  messages = [...messages, message];
  show();
}

startForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const visitorName = ((new FormData(startForm).get('visitorName') as string | null) ?? '').trim();
  status.textContent = 'Connecting…';
  try {
    config = await configReady;
    const started = await call(config, '/conversations', startConversationResponseSchema, {
      method: 'POST',
      body: { siteId: config.siteId, ...(visitorName ? { visitorName } : {}) },
    });
    token = started.conversationToken;
    conversationId = started.conversationId;
    const headers = { [CONVERSATION_HEADER]: token };
    const history = await call(config, `/conversations/${conversationId}/messages`, messageListResponseSchema, { headers });
    messages = history.messages;
    startForm.hidden = true;
    chatWindow.hidden = false;
    status.textContent = 'Connected. An agent will be with you shortly.';
    show();
    $<HTMLInputElement>('message').focus();
    void followEventStream(`${config.pciOrigin}/v1/conversations/${conversationId}/events`, headers, visitorEventSchema, {
      signal: new AbortController().signal,
      onEvent: (e) => {
        if (e.type === 'message') add(e.message);
        else if (e.state === 'closed') status.textContent = 'The agent closed this chat.';
        else if (e.state === 'active') status.textContent = 'An agent joined the chat.';
      },
      // CONVERSATION_CLOSED: the chat ended while the stream was down; it will not open again.
      onRefused: (error) => {
        if (error.code === 'CONVERSATION_CLOSED') status.textContent = 'This chat has ended.';
      },
    });
  } catch (error) {
    status.textContent = `The chat could not start (${error instanceof SecureFormsError ? error.code : 'INTERNAL'}). Try again in a moment.`;
  }
});

sendForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const input = $<HTMLInputElement>('message');
  const text = input.value.trim();
  if (!text) return;
  try {
    const message = await call(config, `/conversations/${conversationId}/messages`, conversationMessageSchema, {
      method: 'POST',
      headers: { [CONVERSATION_HEADER]: token },
      body: { text },
    });
    input.value = '';
    add(message);
  } catch (error) {
    status.textContent = `Your message was not sent (${error instanceof SecureFormsError ? error.code : 'INTERNAL'}). Try again.`;
  }
});
