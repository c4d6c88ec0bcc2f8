/**
 * From a validated ID token's claims to an operator of the site: its stable id at the provider,
 * its display name, and the role and profile of the first group rule its groups match. The role
 * is the rule's, never more: nothing in the token can name a role by itself.
 */
import type { Role } from '../../storage/types.js';
import type { SsoSettings } from './settings.js';

/** What the claims say about the operator. */
export interface MappedClaims {
  subject: string;
  displayName: string;
  /** The first matching rule's role and profile; null when no rule matches (deprovisioned). */
  grant: { role: Role; profile: string } | null;
  /** `amr` (RFC 8176), empty when absent. */
  amr: string[];
}

/** The claims cannot be read as the mapping says (no subject, groups not strings). */
export class ClaimsUnreadable extends Error {}

function strings(value: unknown): string[] | null {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : null;
}

/** Map the claims, or throw ClaimsUnreadable. */
export function mapClaims(settings: SsoSettings, claims: Record<string, unknown>): MappedClaims {
  const subject = claims[settings.claims.subject];
  if (typeof subject !== 'string' || subject.length === 0 || subject.length > 255) throw new ClaimsUnreadable('subject');
  const groups = strings(claims[settings.claims.groups]);
  const amr = strings(claims.amr);
  if (!groups || !amr) throw new ClaimsUnreadable('groups or amr');
  const named = claims[settings.claims.displayName];
  // A display name is shown to colleagues; without one, the subject stands in (cut to the 100 characters a name may have).
  const displayName = (typeof named === 'string' && named.trim() ? named.trim() : subject).slice(0, 100);
  const rule = settings.groups.find((g) => groups.includes(g.group));
  return { subject, displayName, amr, grant: rule ? { role: rule.role, profile: rule.profile ?? rule.role } : null };
}
