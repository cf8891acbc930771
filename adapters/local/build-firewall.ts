import { DrydockError } from '../../core/errors.js';
import { runTool } from './run-tool.js';

/** One firewall rule: the tool, its chain and the match, inserted first in the chain. */
interface Rule {
  readonly tool: 'iptables' | 'ip6tables';
  readonly chain: 'INPUT' | 'FORWARD';
  readonly match: readonly string[];
}

/**
 * The rules that keep `egress` builds off this host: nothing from the build bridge is delivered to the host itself
 * (the gateway address, every other host address, IPv4 and IPv6), and nothing is forwarded to link-local addresses
 * (cloud metadata services). Forwarding elsewhere (the outside world) is left to netavark's own rules.
 */
export function buildFirewallRules(bridge: string): Rule[] {
  return [
    { tool: 'iptables', chain: 'INPUT', match: ['-i', bridge, '-j', 'DROP'] },
    { tool: 'ip6tables', chain: 'INPUT', match: ['-i', bridge, '-j', 'DROP'] },
    { tool: 'iptables', chain: 'FORWARD', match: ['-i', bridge, '-d', '169.254.0.0/16', '-j', 'DROP'] },
    { tool: 'ip6tables', chain: 'FORWARD', match: ['-i', bridge, '-d', 'fe80::/10', '-j', 'DROP'] },
  ];
}

/** The host firewall could not be set up for egress builds; such a build must not run. */
export class BuildFirewallError extends DrydockError {
  override readonly name = 'BuildFirewallError';

  constructor(message: string) {
    super(message, { code: 'BUILD_FIREWALL_FAILED' });
  }
}

const COMMENT = ['-m', 'comment', '--comment', 'drydock: builds never reach this host'];

/** Adds each rule that is not there yet (checked with -C, so running it again changes nothing). */
export async function ensureBuildFirewall(bridge: string): Promise<void> {
  for (const rule of buildFirewallRules(bridge)) {
    const spec = [rule.chain, ...rule.match.slice(0, -2), ...COMMENT, ...rule.match.slice(-2)];
    const tool = (args: string[]) =>
      runTool({
        command: rule.tool,
        args: ['-w', '5', ...args],
        timeoutMs: 30_000,
        debianPackage: 'iptables',
      });
    if ((await tool(['-C', ...spec])).exitCode === 0) continue;
    const added = await tool(['-I', rule.chain, '1', ...spec.slice(1)]);
    if (added.exitCode !== 0) {
      throw new BuildFirewallError(
        `cannot add the firewall rule that keeps egress builds off this host (${rule.tool} -I ${spec.join(' ')}): ${added.stderr.trim()}`,
      );
    }
  }
}
