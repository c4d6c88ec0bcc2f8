/**
 * The message for each validation reason from `validateField`, naming the field and saying how to
 * fix it (GOV.UK error message style). English source strings in `msg()`.
 */
import { msg, str } from '@lit/localize';
import type { FieldType } from '@secure-forms/shared/field-types';
import { cvvLengthFor, detectCardBrand, type ValidationReason } from '@secure-forms/shared/validators';

/** Why a required field is empty, worded for what the field asks. */
function requiredMessage(type: FieldType, label: string): string {
  switch (type) {
    case 'card-number':
      return msg('Enter your card number');
    case 'expiry':
      return msg('Enter the expiry date shown on your card');
    case 'cvv':
      return msg('Enter the security code (CVV) shown on your card');
    case 'cardholder-name':
      return msg('Enter the name as it is shown on your card');
    case 'select':
      return msg(str`Choose an option for ${label}`);
    case 'yes-no':
      return msg(str`Choose yes or no for ${label}`);
    case 'checkbox':
      return msg(str`Tick the box to confirm: ${label}`);
    default:
      return msg(str`Enter ${label}`);
  }
}

/**
 * @param cardNumber the card number typed in the same form, so a CVV message can say how many
 *   digits this card's code has.
 */
export function validationMessage(type: FieldType, reason: ValidationReason, label: string, cardNumber = ''): string {
  switch (reason) {
    case 'required':
      return requiredMessage(type, label);
    case 'card_number_format':
      return msg('Card number must contain only digits. Enter the long number on the front of your card');
    case 'card_number_length':
      return msg('Card number is the wrong length. Check you entered every digit on the front of your card');
    // A number no network issues (0000 0000 0000) reads to the visitor as one mistyped: the same
    // advice, with no new string for every locale to carry (the host script's budget is full).
    case 'card_number_unknown':
    case 'card_number_luhn':
      return msg('Card number is not valid. Check the number on the front of your card');
    case 'expiry_format':
      return msg('Enter the expiry date as month and year, for example 04/29');
    case 'expiry_past':
      return msg('This card has expired. Check the expiry date, or use a different card');
    case 'expiry_too_far':
      return msg('Expiry date must be within the next 20 years. Check the date on your card');
    case 'cvv_format':
      return msg('Security code must contain only digits. Check the code on your card');
    case 'cvv_length': {
      const brand = detectCardBrand(cardNumber);
      if (brand === 'amex') return msg('Enter the 4-digit security code on the front of your American Express card');
      if (brand) return msg(str`Enter the ${cvvLengthFor(brand)}-digit security code on the back of your card`);
      return msg('Enter the 3- or 4-digit security code shown on your card');
    }
    case 'ssn_format':
      return msg('Enter a Social Security number in the format 123-45-6789');
    case 'pin_format':
      return msg('PIN must be 4 to 12 digits. Enter digits only');
    case 'email_format':
      return msg('Enter an email address in the correct format, like name@example.com');
    case 'phone_format':
      return msg('Enter a phone number with at least 6 digits, like 01632 960 001 or +44 808 157 0192');
    case 'number_format':
      return msg(str`${label} must be a number, like 12 or 3.5`);
    case 'date_format':
      return msg(str`${label} must be a real date`);
    case 'option_unknown':
      return msg(str`Choose one of the options for ${label}`);
    case 'too_long':
      return msg(str`${label} must be 500 characters or fewer`);
  }
}

/** A hint for fields whose definition has none, where the format is not obvious. */
export function defaultHint(type: FieldType): string | undefined {
  switch (type) {
    case 'expiry':
      return msg('Month and year, for example 04/29');
    case 'cvv':
      return msg('The last 3 digits on the back of your card. American Express: the 4 digits on the front');
    case 'ssn':
      return msg('For example, 123-45-6789');
    case 'pin':
      return msg('4 to 12 digits');
    default:
      return undefined;
  }
}
