/**
 * The common-password rule (PCI DSS 8.3.6 and NIST SP 800-63B: refuse passwords found on lists of
 * commonly used or breached ones). The list is `passwords-common` of
 * @zxcvbn-ts/language-common (MIT): about 49,000 passwords, lowercased and ranked by how often
 * they appear in Mark Burnett's ten million passwords (xato.net, 2015, the data behind SecLists'
 * xato-net-10-million lists), those seen more than ten times. The package unpacks the list when it
 * is imported, so it is imported on the first check, not at start: a few megabytes of strings that
 * sign-ins never need.
 */

let common: Promise<ReadonlySet<string>> | undefined;

/** Whether `password` is on the list, compared case-insensitively (the list itself is lowercase). */
export async function isCommonPassword(password: string): Promise<boolean> {
  common ??= import('@zxcvbn-ts/language-common').then(({ dictionary }) => new Set(dictionary['passwords-common']));
  return (await common).has(password.normalize('NFKC').toLowerCase());
}
