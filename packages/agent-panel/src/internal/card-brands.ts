import type { CardBrand } from '@secure-forms/shared';

/**
 * The networks' own names, as printed on cards and shown by card dashboards. Trademarks, so the
 * same in every locale: not in the message catalogue.
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
};
