import { SqliteLineageStore } from '../../../adapters/local/sqlite-lineage-store.js';
import type { BanStepPorts } from '../../../core/ban/ban-step.js';
import { inProcessLock } from '../../../core/ban/dispatch-rebuilds.js';
import type { BaseImageBannedEvent } from '../../../core/events/base-image-banned.js';
import type { BaseImageUnbannedEvent } from '../../../core/events/base-image-unbanned.js';
import type { ImagePublishedEvent } from '../../../core/events/image-published.js';
import type { DrydockEvent } from '../../../core/events/index.js';
import type { Rebuild } from '../../../core/events/rebuild.js';
import { validatePolicy } from '../../../core/policy/parse-policy.js';
import type { Policy } from '../../../core/policy/schema.js';
import type { UnsupportedImage } from '../../../core/ports/admission-list.js';
import { definitionKey, type RebuildRecord } from '../../../core/ports/ban-store.js';
import type { BuildRecord } from '../../../core/ports/build-records.js';
import type { BandAidResult, RunningContainer } from '../../../core/ports/fleet.js';
import type { SupportMarker } from '../../../core/ports/support-markers.js';
import { TempState } from '../../contracts/local-state.js';
import { commit, digest } from '../../contracts/sample-events.js';
import { MemoryBanStore } from '../../fixtures/ban/memory-ban-store.js';

export const BUSYBOX = 'docker.io/library/busybox';
export const BAN_ID = 'ban-1a2b3c';
export const BAN_AT = '2026-12-07T12:00:00.000Z';

/** The policy of the ban tests: busybox 1.x allowed, one band-aid for team images with a port parameter. */
export function banPolicy(extra: Record<string, unknown> = {}): Policy {
  return validatePolicy({
    version: 1,
    allowed: [
      { image: 'busybox', versions: '^1' },
      { image: 'registry.local/**', tags: ['*'] },
    ],
    bandAids: [
      {
        id: 'close-port',
        description: 'close a port',
        command: ['/bin/sh', '-c', 'echo "$1"', 'sh', '{{port}}'],
        params: { port: { pattern: '[0-9]{1,5}' } },
        appliesTo: ['registry.local/team/**'],
        timeoutSeconds: 5,
        maxConcurrency: 2,
        maxErrors: 0,
      },
    ],
    ...extra,
  });
}

/** An Image Published of a push: `name` of `repository`, built on `bases`. */
export function pushed(
  name: string,
  repository: string,
  bases: readonly { name: string; digest: string }[],
): ImagePublishedEvent {
  return {
    id: `published-${name}`,
    source: 'drydock',
    detailType: 'Image Published',
    time: '2026-12-01T09:00:00Z',
    detail: {
      ref: `registry.local/${repository}:${name}`,
      digest: digest(name),
      configDigest: digest(`${name}-config`),
      bases: [...bases],
      definition: `${name}/Dockerfile`,
      repository,
      commit: commit(name),
    },
  };
}

export const busybox = (tag: string) => ({ name: `${BUSYBOX}:${tag}`, digest: digest(`busybox-${tag}`) });
export const opsBase = { name: 'registry.local/ops/bases:ops-base', digest: digest('ops-base') };

/** A running container of the image `name` of `repository`. */
export function container(id: string, host: string, name: string, repository: string): RunningContainer {
  return {
    id,
    name: id,
    host,
    image: `registry.local/${repository}:${name}`,
    imageDigest: digest(name),
    configDigest: digest(`${name}-config`),
    startedAt: '2026-12-01T10:00:00Z',
  };
}

/** A bus that keeps every event once by id, as the local bus does (a second publish of an id is dropped). */
export class RecordingBus {
  readonly byId = new Map<string, DrydockEvent>();
  readonly order: DrydockEvent[] = [];
  async publish(events: readonly DrydockEvent[]): Promise<void> {
    for (const e of events) {
      if (this.byId.has(e.id)) continue;
      this.byId.set(e.id, e);
      this.order.push(e);
    }
  }
  of<T extends DrydockEvent['detailType']>(type: T): Extract<DrydockEvent, { detailType: T }>[] {
    return this.order.filter((e) => e.detailType === type) as Extract<DrydockEvent, { detailType: T }>[];
  }
}

/** What a fake fleet does when asked to exec in a container. */
export type ExecBehaviour = 'ok' | 'fail' | 'hang' | 'throw';

/** Containers in memory; exec answers per container as told, and counts calls and the most at once. */
export class FakeFleet {
  containers: RunningContainer[] = [];
  readonly behaviour = new Map<string, ExecBehaviour>();
  readonly execs: { container: string; argv: readonly string[]; timeoutMs: number }[] = [];
  active = 0;
  mostAtOnce = 0;
  async running(): Promise<readonly RunningContainer[]> {
    return this.containers;
  }
  async exec(
    c: RunningContainer,
    argv: readonly string[],
    options: { readonly timeoutMs: number },
  ): Promise<BandAidResult> {
    this.execs.push({ container: c.id, argv, timeoutMs: options.timeoutMs });
    this.active++;
    this.mostAtOnce = Math.max(this.mostAtOnce, this.active);
    try {
      await new Promise((r) => setTimeout(r, 5));
      const b = this.behaviour.get(c.id) ?? 'ok';
      if (b === 'throw') throw new Error('podman is not answering');
      if (b === 'hang')
        return { exitCode: null, outputTail: 'started\n', durationMs: options.timeoutMs, timedOut: true };
      return { exitCode: b === 'ok' ? 0 : 3, outputTail: `${b}\n`, durationMs: 5, timedOut: false };
    } finally {
      this.active--;
    }
  }
}

/** Everything the ban response steps need, over a real SQLite lineage store and in-memory fakes. */
export class BanHarness {
  readonly state = new TempState();
  readonly lineage = new SqliteLineageStore(this.state.open());
  now = new Date('2026-12-07T12:00:01Z');
  readonly clock = { now: () => this.now };
  readonly store = new MemoryBanStore({ clock: this.clock });
  readonly bus = new RecordingBus();
  readonly fleet = new FakeFleet();
  readonly admission: UnsupportedImage[][] = [];
  readonly markers = new Map<string, SupportMarker>();
  readonly newest = new Map<string, BuildRecord>();
  readonly dockerfiles = new Map<string, string>();
  policy: Policy = banPolicy();
  buildConcurrency = 2;
  readonly lock = inProcessLock();

  get ports(): BanStepPorts & {
    source: { read: (r: string, c: string, p: string) => Promise<string | undefined> };
  } {
    return {
      store: this.store,
      lineage: this.lineage,
      fleet: this.fleet,
      admission: { replace: async (images) => void this.admission.push([...images]) },
      markers: {
        put: async (repository, marker) => void this.markers.set(`${repository}@${marker.subject}`, marker),
        get: async (repository, d) => this.markers.get(`${repository}@${d}`),
      },
      bus: this.bus,
      clock: this.clock,
      policy: async () => this.policy,
      records: { newestFor: async (r, d) => this.newest.get(definitionKey(r, d)) },
      lock: this.lock,
      buildConcurrency: this.buildConcurrency,
      plan: { lineage: this.lineage, fleet: this.fleet, tags: async () => [] },
      source: { read: async (r, c, p) => this.dockerfiles.get(`${r} ${c} ${p}`) },
    };
  }

  /** busybox:1.36.0 → ops base → app-on-ops (team/one); busybox:1.36.0 → app-direct (team/two); alpine → unrelated. */
  async seed(): Promise<void> {
    await this.lineage.record(pushed('ops-base', 'ops/bases', [busybox('1.36.0')]));
    await this.lineage.record(pushed('app-on-ops', 'team/one', [opsBase]));
    await this.lineage.record(pushed('app-direct', 'team/two', [busybox('1.36.0')]));
    await this.lineage.record(
      pushed('unrelated', 'team/other', [
        { name: 'docker.io/library/alpine:3.20', digest: digest('alpine') },
      ]),
    );
    this.dockerfiles.set(
      `ops/bases ${commit('ops-base')} ops-base/Dockerfile`,
      'FROM busybox:1.36.0 AS base\nRUN true\n',
    );
    this.dockerfiles.set(
      `team/one ${commit('app-on-ops')} app-on-ops/Dockerfile`,
      'FROM registry.local/ops/bases:ops-base\nCMD ["sh"]\n',
    );
    this.dockerfiles.set(
      `team/two ${commit('app-direct')} app-direct/Dockerfile`,
      '# app\nFROM --platform=linux/amd64 docker.io/library/busybox:1.36.0\n',
    );
  }

  banned(more: Partial<BaseImageBannedEvent['detail']> = {}): BaseImageBannedEvent {
    return {
      id: `banned-${BAN_ID}`,
      source: 'drydock',
      detailType: 'Base Image Banned',
      time: BAN_AT,
      detail: {
        banId: BAN_ID,
        ref: `${BUSYBOX}:1.36.0`,
        reason: 'CVE-2026-0001',
        replacement: `${BUSYBOX}:1.36.1`,
        bandAids: [],
        by: 'ops',
        at: BAN_AT,
        ...more,
      },
    };
  }

  unbanned(): BaseImageUnbannedEvent {
    return {
      id: `unbanned-${BAN_ID}`,
      source: 'drydock',
      detailType: 'Base Image Unbanned',
      time: '2026-12-07T13:00:00.000Z',
      detail: { banId: BAN_ID, ref: `${BUSYBOX}:1.36.0`, by: 'ops', at: '2026-12-07T13:00:00.000Z' },
    };
  }

  async rebuild(repository: string): Promise<RebuildRecord> {
    const found = (await this.store.rebuilds(BAN_ID)).find((r) => r.repository === repository);
    if (!found) throw new Error(`no rebuild of ${repository}`);
    return found;
  }

  async states(): Promise<Record<string, string>> {
    return Object.fromEntries((await this.store.rebuilds(BAN_ID)).map((r) => [r.repository, r.state]));
  }

  /** The `Image Published` of a dispatched rebuild, as the publish step would write it. */
  async rebuildPublished(repository: string): Promise<ImagePublishedEvent> {
    const r = await this.rebuild(repository);
    const name = r.definition.split('/')[0] ?? '';
    const rebuild: Rebuild = {
      banId: r.banId,
      number: r.number,
      of: r.of,
      substitutions: [...(r.dispatchedSubstitutions ?? [])],
    };
    return {
      id: `published-${name}-r${r.number}`,
      source: 'drydock',
      detailType: 'Image Published',
      time: '2026-12-07T12:10:00.000Z',
      detail: {
        buildId: r.buildId ?? 'none',
        ref: `registry.local/${repository}:${r.commit.slice(0, 12)}-r${r.number}`,
        digest: digest(`${name}-rebuilt`),
        configDigest: digest(`${name}-rebuilt-config`),
        bases: [],
        definition: r.definition,
        repository,
        commit: r.commit,
        correlationId: r.banId,
        rebuild,
      },
    };
  }

  close(): void {
    this.state.close();
  }
}
