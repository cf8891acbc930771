// Measures the OCI prestart hook as podman runs it: /usr/bin/python3 -I -S on the installed hook program, with a real
// container's state on stdin, deciding from real podman storage metadata and a fleet-sized admission list (1,000
// unsupported images, 20 ban patterns, none matching: every check runs). Wall time per run, p50/p95 of 50 runs.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { AdmissionFile } from '../adapters/local/admission-file.js';
import { admissionHookCommand, answerPrestart } from '../adapters/local/admission-hook.js';
import { prepareFleetEnv } from '../adapters/local/podman-fleet.js';
import {
  buildHelloImages,
  createContainerStorage,
  HELLO_APP,
} from '../test/fixtures/image-tests/container-storage.js';

const RUNS = 50;
const UNSUPPORTED = 1_000;
const digest = (seed: string) => `sha256:${createHash('sha256').update(seed).digest('hex')}`;
const round = (x: number, digits = 1) => Number(x.toFixed(digits));
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
};

function time(argv: readonly string[], input: string, expectStatus: number): number {
  const [command, ...args] = argv;
  const started = process.hrtime.bigint();
  const result = spawnSync(command ?? '', args, { input, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== expectStatus)
    throw new Error(`${argv.join(' ')} exited ${result.status}, not ${expectStatus}: ${result.stderr}`);
  return ms;
}

const storage = await createContainerStorage();
try {
  await buildHelloImages(storage);
  const { env } = await prepareFleetEnv(storage.dir, admissionHookCommand(storage.dir));
  const podman = (args: string[]) =>
    spawnSync('podman', args, { env: { ...process.env, ...env }, encoding: 'utf8' }).stdout.trim();
  const container = podman(['create', HELLO_APP, 'true']);
  if (!/^[0-9a-f]{64}$/.test(container)) throw new Error(`podman create gave ${container}`);
  const state = JSON.stringify({
    ociVersion: '1.0.2-dev',
    id: container,
    status: 'creating',
    bundle: `${storage.dir}/containers/storage/vfs-containers/${container}/userdata`,
    annotations: {},
  });
  const patterns = [
    ...Array.from({ length: 10 }, (_, i) => `docker.io/library/busybox:1.${i}*`),
    ...Array.from({ length: 9 }, (_, i) => `registry.example.com/team-${i}/**`),
    'localhost/apps/*:0.*',
  ];
  const list = (banned: string[]) =>
    new AdmissionFile({
      stateDir: storage.dir,
      bannedPatterns: async () =>
        banned.map((pattern) => ({ pattern, reason: 'CVE-2026-1', banId: 'ban-1' })),
    }).replace(
      Array.from({ length: UNSUPPORTED }, (_, i) => ({
        configDigest: digest(`config-${i}`),
        digest: digest(`manifest-${i}`),
        ref: `registry.example.com/team/app-${i}:1`,
        banIds: ['ban-1'],
        reason: 'CVE-2026-1',
      })),
    );
  const hook = admissionHookCommand(storage.dir);

  await list(patterns);
  if (!answerPrestart(storage.dir, state).allow) throw new Error('the benchmark decision should allow');
  time(hook, state, 0); // warm the page cache
  const allow: number[] = [];
  const python: number[] = [];
  const node: number[] = [];
  const inProcess: number[] = [];
  // Interleaved, so that load from other processes weighs on each alike.
  for (let i = 0; i < RUNS; i++) {
    allow.push(time(hook, state, 0));
    python.push(time(['/usr/bin/python3', '-I', '-S', '-c', 'pass'], '', 0));
    node.push(time([process.execPath, '-e', ''], '', 0));
    const started = process.hrtime.bigint();
    answerPrestart(storage.dir, state);
    inProcess.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  await list([...patterns, 'localhost/apps/hello:1']);
  const deny: number[] = [];
  for (let i = 0; i < RUNS; i++) deny.push(time(hook, state, 1));
  podman(['rm', '--force', container]);

  const line = (name: string, values: number[]) =>
    `${name.padEnd(46)} p50 ${round(percentile(values, 50)).toString().padStart(6)} ms   p95 ${round(percentile(values, 95)).toString().padStart(6)} ms`;
  console.log(
    `admission hook, ${RUNS} runs each, list of ${UNSUPPORTED} unsupported images and ${patterns.length} patterns`,
  );
  console.log(line('hook, allow (every check runs)', allow));
  console.log(line('hook, deny by name pattern', deny));
  console.log(line('bare /usr/bin/python3 -I -S (floor)', python));
  console.log(line('bare node -e "" (the former hook\'s floor)', node));
  console.log(line('TypeScript decision in process (no start-up)', inProcess));
  console.log(
    JSON.stringify({
      runs: RUNS,
      p50_ms: round(percentile(allow, 50)),
      p95_ms: round(percentile(allow, 95)),
    }),
  );
} finally {
  await storage.cleanup();
}
