/**
 * The rules a new policy enforces (the local first start, the AWS stack's initial parameter): every security rule (DD1xx at warning or error), so no
 * team's config, pragma or level override can silence them. Left out, as hardening advice a team may waive with a
 * reason: DD101 (root final user; images that drop privileges in their entrypoint are fine) and DD113 (an SSH
 * server may be the product; DD116 enforces its configuration); DD122 is build hygiene, not security.
 */
export const DEFAULT_ENFORCED_RULES: readonly string[] = [
  'DD103',
  'DD104',
  'DD105',
  'DD106',
  'DD107',
  'DD110',
  'DD111',
  'DD112',
  'DD114',
  'DD115',
  'DD116',
  'DD117',
  'DD118',
  'DD121',
];
