import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildFirewallRules, ensureBuildFirewall } from '../../../adapters/local/build-firewall.js';
import { BUILD_NETWORK } from '../../../adapters/local/container-env.js';

const run = promisify(execFile);

async function drydockRules(): Promise<string[]> {
  const rules: string[] = [];
  for (const tool of ['iptables', 'ip6tables']) {
    const { stdout } = await run(tool, ['-w', '5', '-S']);
    rules.push(...stdout.split('\n').filter((l) => l.includes('drydock: builds never reach this host')));
  }
  return rules;
}

describe('ensureBuildFirewall', () => {
  it('drops what the build bridge sends to this host and to link-local addresses, once however often it runs', async () => {
    await ensureBuildFirewall(BUILD_NETWORK.bridge);
    await ensureBuildFirewall(BUILD_NETWORK.bridge);
    const rules = await drydockRules();
    expect(rules).toHaveLength(buildFirewallRules(BUILD_NETWORK.bridge).length);
    expect(rules.filter((r) => r.startsWith('-A INPUT -i ddbuild0 ') && r.endsWith('-j DROP'))).toHaveLength(
      2,
    );
    expect(rules.some((r) => r.includes('-d 169.254.0.0/16 -i ddbuild0'))).toBe(true);
  });
});
