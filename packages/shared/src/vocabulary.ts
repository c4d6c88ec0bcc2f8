/**
 * The words the packages share: operator roles, permissions, who wrote a chat line, invitation
 * states and card brands. Each is a constant here and every union elsewhere is derived from it, so
 * a new value is added once. No zod and no code: the form frame and the host page may import these for their types.
 */

/** What an operator is: an agent in the chat, a manager, a site administrator. */
export const ROLES = ['agent', 'manager', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** What an operator's profile allows: sending secure forms, reading answers in history. */
export const PERMISSIONS = ['use-secure-form', 'view-responses-in-history'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Who wrote a line of the chat transcript: the visitor, the agent, or the system (joins, transfers, closing). */
export const MESSAGE_AUTHORS = ['visitor', 'agent', 'system'] as const;
export type MessageAuthor = (typeof MESSAGE_AUTHORS)[number];

/** Where an invitation is: sent and opened are live; the rest are final. */
export const INVITATION_STATES = ['sent', 'opened', 'submitted', 'viewed', 'expired', 'cancelled'] as const;
export type InvitationState = (typeof INVITATION_STATES)[number];

/**
 * The card networks the frame recognizes from a number's leading digits (IIN prefixes in
 * cards.ts): the global ones, then the domestic ones (Troy: Turkey; Verve: Nigeria; Dankort:
 * Denmark; Elo, Hipercard: Brazil; Mir: Russia).
 */
export const CARD_BRANDS = [
  'visa',
  'mastercard',
  'amex',
  'discover',
  'jcb',
  'diners',
  'unionpay',
  'maestro',
  'troy',
  'verve',
  'dankort',
  'elo',
  'mir',
  'hipercard',
] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];

/**
 * Each brand's name as the network writes it (credit-card-type's `niceType`), for the brand shown
 * beside a card's last four digits. Proper names: the same in every locale.
 */
export const CARD_BRAND_NAMES: Readonly<Record<CardBrand, string>> = {
  visa: 'Visa',
  mastercard: 'Mastercard',
  amex: 'American Express',
  discover: 'Discover',
  jcb: 'JCB',
  diners: 'Diners Club',
  unionpay: 'UnionPay',
  maestro: 'Maestro',
  troy: 'Troy',
  verve: 'Verve',
  dankort: 'Dankort',
  elo: 'Elo',
  mir: 'Mir',
  hipercard: 'Hipercard',
};
