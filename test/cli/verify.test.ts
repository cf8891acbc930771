// drydock verify against a real local pipeline run in-process: its registry behind the push guard, its lineage
// store fed through the bus as the lineage step is, and its HTTP API. Drift is made the way it happens: by
// writing to the registry's private socket, behind the guard's back.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistrySupportMarkers } from '../../adapters/local/registry-support-markers.js';
import { OCI_MANIFEST_TYPE, supportMarkerArtifact } from '../../core/ban/support-marker-artifact.js';
import { EVENT_SOURCE } from '../../core/events/envelope.js';
import { IMAGE_PUBLISHED, type ImagePublishedEvent } from '../../core/events/image-published.js';
import type { RegistryDrift } from '../../core/lineage/registry-drift.js';
import { supportMarkerTag } from '../../core/ports/support-markers.js';
import { baseCatalogue } from '../../runtime/local/base-catalogue.js';
import { type LocalRuntime, startLocalRuntime } from '../../runtime/local/daemon.js';
import { runCli } from '../helpers/cli.js';
import { removeState, waitFor } from '../helpers/drydock-process.js';
import { SCHEMA2, schema2Manifest, sha256 } from '../helpers/image-manifest.js';

const run = promisify(execFile);
const WEB_COMMIT = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const API_COMMIT = 'f0e1d2c3b4a5968778695a4b3c2d1e0f12345678';

let root: string;
let state: string;
let runtime: LocalRuntime;
let host: string;
let web: { ref: string; digest: string };
let api: { ref: string; digest: string };
let base: { ref: string; digest: string };

/** A request on the registry's private socket, as nothing but drydock itself should make. */
function direct(
  method: string,
  path: string,
  body?: Buffer,
  headers: Record<string, string> = {},
): Promise<{ status: number; location: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: join(state, 'registry', 'registry.sock'),
        method,
        path,
        agent: false,
        headers: { ...headers, 'content-length': body?.length ?? 0 },
      },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, location: String(res.headers.location ?? '') }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Puts a one-layer image straight into the registry's storage, bypassing the guard; returns its digest. */
async function writeBehindGuard(repository: string, tag: string, name: string): Promise<string> {
  const layer = Buffer.from(`layer of ${name}`);
  const config = Buffer.from(
    JSON.stringify({ architecture: 'amd64', os: 'linux', config: { Labels: { name } } }),
  );
  for (const blob of [layer, config]) {
    const start = await direct('POST', `/v2/${repository}/blobs/uploads/`);
    expect(start.status).toBe(202);
    const url = new URL(start.location, 'http://localhost');
    url.searchParams.set('digest', sha256(blob));
    expect((await direct('PUT', `${url.pathname}${url.search}`, blob)).status).toBe(201);
  }
  const manifest = schema2Manifest(config, layer);
  const put = await direct('PUT', `/v2/${repository}/manifests/${tag}`, manifest, {
    'content-type': SCHEMA2,
  });
  expect(put.status).toBe(201);
  return sha256(manifest);
}

/** Builds a `FROM scratch` image with one file in the pipeline's container storage and pushes it as the pipeline does. */
async function pushImage(
  name: string,
  repository: string,
  tag: string,
): Promise<{ ref: string; digest: string }> {
  const env = { ...process.env, ...runtime.pipeline.containerEnv.env };
  const dir = join(root, 'ctx', name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'name'), `${name}\n`);
  const container = (await run('buildah', ['from', 'scratch'], { env })).stdout.trim();
  await run('buildah', ['copy', container, join(dir, 'name'), '/name'], { env });
  await run('buildah', ['commit', '--rm', '--quiet', container, `localhost/${name}:1`], { env });
  return runtime.pipeline.registry.push(`localhost/${name}:1`, { repository, tag });
}

/** The `Image Published` event the publish step emits, for the lineage step to record. */
async function published(image: { ref: string; digest: string }, definition: string, commit: string) {
  const details = await runtime.pipeline.registry.inspect(image.ref);
  const event: ImagePublishedEvent = {
    id: `image-published-${commit}-${definition}`,
    source: EVENT_SOURCE,
    detailType: IMAGE_PUBLISHED,
    time: new Date().toISOString(),
    detail: {
      ref: image.ref,
      digest: image.digest,
      configDigest: details?.configDigest ?? '',
      bases: [{ name: base.ref, digest: base.digest }],
      definition,
      repository: 'shop',
      commit,
    },
  };
  await runtime.pipeline.bus.publish([event]);
}

const verify = (...args: string[]) => runCli(['verify', '--state', state, ...args], { now: new Date() });

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'drydock-verify-'));
  state = join(root, 'state');
  runtime = await startLocalRuntime({
    stateDir: state,
    version: '0.0.0-test',
    apiPort: 0,
    seedBases: false,
    log: () => undefined,
    bases: baseCatalogue,
  });
  host = runtime.info.registry;
  base = await pushImage('verify-base', 'base/tiny', '1');
  web = await pushImage('verify-web', 'apps/shop/web', WEB_COMMIT.slice(0, 12));
  api = await pushImage('verify-api', 'apps/shop/api', API_COMMIT.slice(0, 12));
  await published(web, 'web/Dockerfile', WEB_COMMIT);
  await published(api, 'api/Dockerfile', API_COMMIT);
  await waitFor('both lineage records', async () =>
    (await runtime.pipeline.lineage.list({ limit: 10 })).length === 2 ? true : undefined,
  );
}, 120_000);

afterAll(async () => {
  await runtime?.stop();
  if (root) await removeState(root);
});

describe('drydock verify', () => {
  it('finds no drift when every tag is a published image or a base at its recorded digest: exit 0', async () => {
    const r = await verify();
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `registry ${host}: 3 tags; lineage: 2 images; bases: 1\nno drift: every tag is a published image or a base, at its recorded digest\n`,
    );
    const json = await verify('--format', 'json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      registry: host,
      checked: { tags: 3, images: 2, bases: 1 },
      drift: [],
    });
  });

  it('reports a moved tag, a missing one and an untracked one written behind the guard: exit 1', async () => {
    // The guard refuses to move the tag, even to the pipeline…
    const auth = `Basic ${Buffer.from(`${runtime.pipeline.credential.username}:${runtime.pipeline.credential.secret}`).toString('base64')}`;
    const refused = await fetch(`http://${host}/v2/apps/shop/web/manifests/${WEB_COMMIT.slice(0, 12)}`, {
      method: 'PUT',
      headers: { authorization: auth, 'content-type': SCHEMA2 },
      body: '{"schemaVersion":2}',
    });
    expect(refused.status).toBe(409);
    // …so drift comes from the registry's own socket: a moved tag, a deleted manifest, a rogue image.
    const moved = await writeBehindGuard('apps/shop/web', WEB_COMMIT.slice(0, 12), 'impostor');
    expect((await direct('DELETE', `/v2/apps/shop/api/manifests/${api.digest}`)).status).toBe(202);
    const rogue = await writeBehindGuard('apps/rogue', 'latest', 'rogue');

    const json = await verify('--format', 'json');
    expect(json.stderr).toBe('');
    expect(json.code).toBe(1);
    const expected: RegistryDrift[] = [
      { kind: 'moved', ref: web.ref, registryDigest: moved, lineageDigest: web.digest },
      { kind: 'missing', ref: api.ref, lineageDigest: api.digest },
      { kind: 'untracked', ref: `${host}/apps/rogue:latest`, registryDigest: rogue },
    ];
    expect(JSON.parse(json.stdout)).toEqual({
      registry: host,
      checked: { tags: 3, images: 2, bases: 1 },
      drift: expected,
    });

    const text = await verify();
    expect(text.code).toBe(1);
    const lines = text.stdout.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      `registry ${host}: 3 tags; lineage: 2 images; bases: 1`,
      '3 drifts:',
      expect.stringMatching(/^ {2}KIND +REF +REGISTRY +LINEAGE$/),
    ]);
    expect(lines[3]).toMatch(new RegExp(`^  moved +${web.ref} +${moved} +${web.digest}$`));
    expect(lines[4]).toMatch(new RegExp(`^  missing +${api.ref} +— +${api.digest}$`));
    expect(lines[5]).toMatch(new RegExp(`^  untracked +${host}/apps/rogue:latest +${rogue} +—$`));
    expect(text.stdout).toContain('untracked: in the registry, but neither a published image nor a base');
  });

  it('counts support markers of known images as no drift, and reports a marker of an unknown image', async () => {
    const before = JSON.parse((await verify('--format', 'json')).stdout) as { drift: RegistryDrift[] };
    const markers = new RegistrySupportMarkers({ host, credential: runtime.pipeline.credential });
    const at = new Date().toISOString();
    const bans = [{ banId: 'ban-1', reason: 'CVE-2026-0001' }];
    await markers.put('apps/shop/web', { subject: web.digest, unsupported: true, bans, at });
    await markers.put('base/tiny', { subject: base.digest, unsupported: true, bans, at });
    // Behind the guard: a marker of an image nothing recorded, and an image under a marker-looking tag.
    const rogue = await writeBehindGuard('apps/rogue', 'v2', 'rogue-2');
    const artifact = supportMarkerArtifact(
      { subject: rogue, unsupported: true, bans, at },
      { mediaType: SCHEMA2, digest: rogue, size: 0 },
    );
    for (const blob of [artifact.config, artifact.layer].map((b) => Buffer.from(b))) {
      const start = await direct('POST', '/v2/apps/rogue/blobs/uploads/');
      const url = new URL(start.location, 'http://localhost');
      url.searchParams.set('digest', sha256(blob));
      expect((await direct('PUT', `${url.pathname}${url.search}`, blob)).status).toBe(201);
    }
    const rogueMarker = supportMarkerTag(rogue);
    const put = await direct(
      'PUT',
      `/v2/apps/rogue/manifests/${rogueMarker}`,
      Buffer.from(artifact.manifest),
      {
        'content-type': OCI_MANIFEST_TYPE,
      },
    );
    expect(put.status).toBe(201);
    const fakeMarker = supportMarkerTag(`sha256:${'e'.repeat(64)}`);
    const impostor = await writeBehindGuard('apps/rogue', fakeMarker, 'not-a-marker');

    const json = await verify('--format', 'json');
    expect(json.stderr).toBe('');
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { checked: { tags: number }; drift: RegistryDrift[] };
    expect(report.checked.tags).toBe(8);
    const added = report.drift.filter((d) => !before.drift.some((b) => b.ref === d.ref));
    expect(added).toEqual([
      {
        kind: 'unknown-marker',
        ref: `${host}/apps/rogue:${rogueMarker}`,
        registryDigest: sha256(artifact.manifest),
        subject: rogue,
      },
      { kind: 'untracked', ref: `${host}/apps/rogue:${fakeMarker}`, registryDigest: impostor },
      { kind: 'untracked', ref: `${host}/apps/rogue:v2`, registryDigest: rogue },
    ]);
    const text = await verify();
    expect(text.stdout).toMatch(
      new RegExp(`unknown-marker +${host}/apps/rogue:${rogueMarker} +\\S+ +marks ${rogue}`),
    );
  });

  it('exits 2 when no pipeline runs on the state directory', async () => {
    const other = join(root, 'nothing-here');
    mkdirSync(other);
    const r = await runCli(['verify', '--state', other]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`drydock start --state ${other}`);
  });

  it('explains the drift kinds, the exit statuses and gives examples in --help', async () => {
    const r = await runCli(['verify', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Exit status: 0 no drift, 1 drift found, 2 error');
    expect(r.stdout).toContain('Examples:\n  drydock verify\n');
    for (const kind of ['moved', 'missing', 'untracked', 'unknown-marker'])
      expect(r.stdout).toContain(`  ${kind} `);
  });
});
