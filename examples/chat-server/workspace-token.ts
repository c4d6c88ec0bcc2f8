/**
 * The brand's workspace backend minting a workspace token for its signed-in agent
 * (docs/integration.md, section 7): a JWT signed with the private key whose public half is in the
 * site's `workspaceTokens`, usable once within two minutes. The agent panel exchanges it for a
 * Secure Forms session, so the agent never sees a second sign-in form.
 */
import { randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';

export interface WorkspaceTokenOptions {
  /** The private JWK (with `kid` and `alg`), from your secret store. */
  privateJwk: JWK & { kid: string; alg: string };
  /** The site's `workspaceTokens.issuer` and `audience`. */
  issuer: string;
  audience: string;
}

export async function workspaceTokenMinter({ privateJwk, issuer, audience }: WorkspaceTokenOptions) {
  const signingKey = await importJWK(privateJwk, privateJwk.alg);
  /** A token for our agent `agentId` (its `externalId` in the sites file) with role `role`. */
  return (agentId: string, role: string) =>
    new SignJWT({ roles: [role] })
      .setProtectedHeader({ alg: privateJwk.alg, kid: privateJwk.kid, typ: 'JWT' })
      .setIssuer(issuer)
      .setAudience(audience)
      .setSubject(agentId)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('2m')
      .sign(signingKey);
}
