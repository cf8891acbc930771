import type { RunningContainer } from '../ports/fleet.js';

/** Most hosts one band-aid dispatch addresses (SSM SendCommand takes at most 50 instance ids). */
export const MAX_HOSTS_PER_BATCH = 50;

/** Running containers grouped by host, hosts sorted, containers in the order given. */
export function containersByHost(
  containers: readonly RunningContainer[],
): { readonly host: string; readonly containers: readonly RunningContainer[] }[] {
  const byHost = new Map<string, RunningContainer[]>();
  for (const c of containers) {
    const list = byHost.get(c.host);
    if (list) list.push(c);
    else byHost.set(c.host, [c]);
  }
  return [...byHost.keys()].sort().map((host) => ({ host, containers: byHost.get(host)! }));
}

/** Splits containers into batches that each address at most `maxHosts` hosts, every container of a host in one batch. */
export function batchByHosts(
  containers: readonly RunningContainer[],
  maxHosts = MAX_HOSTS_PER_BATCH,
): RunningContainer[][] {
  const batches: RunningContainer[][] = [];
  const hosts = containersByHost(containers);
  for (let i = 0; i < hosts.length; i += maxHosts) {
    batches.push(hosts.slice(i, i + maxHosts).flatMap((h) => h.containers));
  }
  return batches;
}
