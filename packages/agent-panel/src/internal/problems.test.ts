import { SecureFormsError } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { problemCode } from './problems.js';

describe('problemCode', () => {
  it('keeps the code of a refusal and of a connection failure', () => {
    expect(problemCode(new SecureFormsError('SESSION_EXPIRED', 'no', 401))).toBe('SESSION_EXPIRED');
    expect(problemCode(new SecureFormsError('NETWORK', 'unreachable', 0))).toBe('NETWORK');
  });

  it('shows a response that did not match its schema as INTERNAL', () => {
    expect(problemCode(new SecureFormsError('RESPONSE_INVALID', 'bad body', 200))).toBe('INTERNAL');
  });

  it('names an envelope that did not open, and anything else INTERNAL', () => {
    const envelope = Object.assign(new Error('tampered'), { name: 'EnvelopeError' });
    expect(problemCode(envelope)).toBe('ENVELOPE_REFUSED');
    expect(problemCode(new TypeError('x'))).toBe('INTERNAL');
  });
});
