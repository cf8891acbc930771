import type { Loc } from '../../dockerfile/source-map.js';
import { fileWrites } from '../file-writes.js';
import { defineRule, type RuleFinding } from '../rule.js';
import { shippedStages } from '../stage-lineage.js';

// A network list entry that matches every address: 0.0.0.0/0 (any x.x.x.x/0), ::/0, [::]/0, or `*`.
const EVERYONE = /(^|[\s,;:"'[])(\d{1,3}(\.\d{1,3}){3}\/0|\[?::\]?\/0|\*)(?=$|[\s,;"'\]])/;
// Environment variables common mail-relay images turn into mynetworks or exim's relay_from_hosts.
const RELAY_ENV = /^(POSTFIX_)?(MYNETWORKS|RELAY_?NETWORKS|RELAY_?NETS|DC_RELAY_NETS|RELAY_FROM_HOSTS)$/i;
// Postfix restriction steps that stop mail to foreign domains.
const STOPS_RELAY = /^(reject_unauth_destination|defer_unauth_destination|reject|defer|defer_if_permit)$/;

// Why a mail server setting relays for everyone, or undefined.
function openRelay(line: string): string | undefined {
  const text = line.replace(/^\s+/, '');
  if (text.startsWith('#')) return undefined;
  const postfix = /^(mynetworks|smtpd_relay_restrictions|smtpd_recipient_restrictions)\s*=\s*(.*)$/.exec(
    text,
  );
  if (postfix?.[1] === 'mynetworks' && EVERYONE.test(postfix[2] ?? '')) {
    return 'postfix mynetworks covers every address, and mynetworks may relay by default';
  }
  if (postfix && postfix[1] !== 'mynetworks') {
    const steps = (postfix[2] ?? '').split(/[\s,]+/).filter(Boolean);
    const permit = steps.indexOf('permit');
    const stop = steps.findIndex((s) => STOPS_RELAY.test(s));
    if (permit >= 0 && (stop < 0 || permit < stop)) {
      return `postfix ${postfix[1]} permits before reject_unauth_destination, so any sender may relay`;
    }
  }
  const exim = /^(hostlist\s+)?(relay_from_hosts|dc_relay_nets)\s*=\s*(.*)$/.exec(text);
  if (exim && EVERYONE.test(` ${exim[3] ?? ''}`.replace(/^ <;/, ' '))) {
    return `exim ${exim[2]} covers every address`;
  }
  const sendmail = /FEATURE\(\s*[`']?(promiscuous_relay|relay_local_from|relay_mail_from)\b/.exec(text);
  if (sendmail) {
    return sendmail[1] === 'promiscuous_relay'
      ? 'sendmail promiscuous_relay relays for everyone'
      : `sendmail ${sendmail[1]} relays for anyone who forges a local sender address`;
  }
  return undefined;
}

export const openMailRelay = defineRule({
  id: 'DD118',
  level: 'error',
  title: 'Mail server configured as an open relay',
  rationale:
    'A mail server that relays for every network carries spam and phishing from anyone under your domain and IP addresses: within hours of being reachable it gets abused, blocklisted, and your real mail stops being delivered. Relay only for the networks and authenticated clients that need it (mynetworks of the cluster, permit_sasl_authenticated), ending the restrictions with reject_unauth_destination.',
  check: (ctx) => {
    const out: RuleFinding[] = [];
    const shipped = shippedStages(ctx.stages);
    const report = (loc: Loc, where: string, why: string) =>
      out.push(ctx.finding(loc, `${where}: ${why}; relay only for known networks and authenticated clients`));
    for (const w of fileWrites(ctx)) {
      if (!shipped.has(w.instruction.stage)) continue;
      // main.cf continues a setting on lines that start with whitespace.
      for (const line of w.content.replace(/\n[ \t]+(?=\S)/g, ' ').split('\n')) {
        const why = openRelay(line);
        if (why) report(w.loc, w.via === 'postconf' ? 'postconf' : w.path, why);
      }
    }
    for (const inst of ctx.of('ENV', 'ARG')) {
      for (const p of inst.properties) {
        if (!shipped.has(inst.stage)) continue;
        if (RELAY_ENV.test(p.name) && p.value !== null && EVERYONE.test(` ${p.value}`)) {
          report(
            p.loc,
            `${inst.keyword} ${p.name}`,
            'relay-image setting that lets every address relay mail',
          );
        }
      }
    }
    return out.sort((a, b) => a.line - b.line || a.column - b.column);
  },
});
