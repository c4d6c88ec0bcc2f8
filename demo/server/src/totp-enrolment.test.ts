import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TOTP_ENROLMENT_FILE, writeTotpEnrolment } from './totp-enrolment.js';

describe('TOTP enrolment links', () => {
  it('go to a file only the owner can read, added to what an earlier start left', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-totp-'));
    writeFileSync(join(dir, TOTP_ENROLMENT_FILE), 'earlier\n', { mode: 0o644 });
    const file = writeTotpEnrolment(dir, [{ username: 'morgan', role: 'manager', uri: 'otpauth://totp/x?secret=ABC' }]);
    expect(file).toBe(join(dir, TOTP_ENROLMENT_FILE));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith('earlier\n')).toBe(true);
    expect(text).toContain('morgan (manager): otpauth://totp/x?secret=ABC');
  });
});
