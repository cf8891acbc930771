#!/usr/bin/env node
// npm run demo — a scripted tour of the local pipeline on a fresh state directory under the temp dir:
// drydock start, the seeded bases, a repository, a real git push of a clean and a failing definition
// (the post-receive hook's output shown), then what the CLI and the registry say about them; then containers
// of the published image on a small fleet, and a ban of the base it was built on (a dry run, the ban with a
// replacement and a band-aid, the rebuild), and what the ban, the images, admission and the fleet show after.
// Every step prints the command as a user would type it; the pipeline is stopped at the end and the state
// directory kept for exploring. Exits non-zero when any step fails, so a test can run it.
//
// Usage: node scripts/demo.mjs   (after `npm run build`; `npm run demo` does both)
import { execFile, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'drydock.js');
const WAIT_MS = 120_000;
const BAND_AID = [
  'bandAids:',
  '  - id: stamp-containers',
  '    description: leave a note in every container of an affected image',
  '    command: ["/bin/sh", "-c", "echo \\"$1\\" > /tmp/band-aid", "band-aid", "{{note}}"]',
  '    params:',
  '      note: { pattern: "[a-z0-9-]{1,32}" }',
  '    appliesTo: ["REGISTRY/apps/**"]',
  '    timeoutSeconds: 20',
  '',
].join('\n');

const root = mkdtempSync(join(tmpdir(), 'drydock-demo-'));
const state = join(root, 'state');
const work = join(root, 'work');
const env = {
  ...process.env,
  DRYDOCK_STATE: state,
  NO_COLOR: '1',
  GIT_AUTHOR_NAME: 'demo',
  GIT_AUTHOR_EMAIL: 'demo@example.com',
  GIT_COMMITTER_NAME: 'demo',
  GIT_COMMITTER_EMAIL: 'demo@example.com',
};

let stepNo = 0;
let startOutput = '';
let daemon;

const heading = (title) => console.log(`\n== ${++stepNo}. ${title}`);
const indent = (text) =>
  text
    .trimEnd()
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs a command and shows what it printed; fails the demo on a non-zero exit (with `refused: N`, on any exit but N). */
function exec(file, args, options = {}) {
  return new Promise((resolve, reject) => {
    const runEnv = { ...env, ...options.env };
    execFile(
      file,
      args,
      { cwd: options.cwd ?? root, env: runEnv, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const shown = options.head ? stdout.split('\n').slice(0, options.head).join('\n') : stdout;
        if (!options.quiet && shown.trim()) console.log(indent(shown));
        if (stderr.trim()) console.log(indent(stderr));
        const code = error ? error.code : 0;
        if (options.refused !== undefined) {
          console.log(`   (exit ${code})`);
          if (code !== options.refused)
            reject(
              new Error(`${[file, ...args].join(' ')} exited with ${code}, not ${options.refused} (refused)`),
            );
          else resolve(`${stdout}${stderr}`);
        } else if (error) reject(new Error(`${[file, ...args].join(' ')} exited with ${error.code}`));
        else resolve(stdout);
      },
    );
  });
}

/** Shows a command as a user would type it, then runs it. */
function sh(display, file, args, options) {
  console.log(`$ ${display}`);
  return exec(file, args, options);
}

// Arguments with spaces are shown quoted, as a user would type them.
const drydock = (args, options) =>
  sh(
    `drydock ${args.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(' ')}`,
    process.execPath,
    [BIN, ...args],
    options,
  );

/** GETs JSON from the running pipeline's API. */
async function api(path) {
  const { api: base } = JSON.parse(readFileSync(join(state, 'runtime.json'), 'utf8'));
  // Every endpoint needs a token; drydock start keeps the ops one in the state dir, readable by this user only.
  const token = readFileSync(join(state, 'api', 'ops-token'), 'utf8').trim();
  const answer = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!answer.ok) throw new Error(`GET ${path}: ${answer.status} ${await answer.text()}`);
  return answer.json();
}

/** A failure a probe saw for certain (a failed build), as opposed to the pipeline not answering yet. */
class StepFailed extends Error {}

/** Polls until `probe` returns a value; fails with `what` after WAIT_MS, when drydock start exits or the probe throws StepFailed. */
async function waitFor(what, probe) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (daemon.exitCode !== null)
      throw new Error(`drydock start exited (${daemon.exitCode}) while waiting for ${what}`);
    const value = await probe().catch((error) => {
      if (error instanceof StepFailed) throw error;
      return undefined;
    });
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_MS / 1000} s waiting for ${what}`);
    await sleep(200);
  }
}

async function stopDaemon() {
  if (!daemon || daemon.exitCode !== null || daemon.signalCode !== null) return;
  const exited = new Promise((r) => daemon.once('exit', (code) => r(code)));
  daemon.kill('SIGINT');
  const timer = setTimeout(() => daemon.kill('SIGKILL'), 15_000);
  const code = await exited;
  clearTimeout(timer);
  return code;
}

const GOOD = {
  'hello/Dockerfile':
    'FROM REGISTRY/base/busybox:1.36.0\nCOPY greeting.txt /greeting.txt\nUSER 65534\nCMD ["cat", "/greeting.txt"]\n',
  'hello/greeting.txt': 'hello from drydock\n',
  'hello/image-tests.yaml':
    'schemaVersion: 2.0.0\ncommandTests:\n  - name: greets\n    command: cat\n    args: ["/greeting.txt"]\n    expectedOutput: ["hello from drydock"]\n',
};
const BAD = {
  'bad/Dockerfile':
    'FROM REGISTRY/base/busybox:1.36.1\nRUN wget -qO- http://get.example.com/install.sh | sh\n',
};

async function tour() {
  console.log(`drydock demo: a fresh state directory in ${state}`);
  console.log("(drydock below is this checkout's bin/drydock.js; DRYDOCK_STATE saves typing --state)");

  heading('Start the local pipeline');
  console.log(`$ export DRYDOCK_STATE=${state}`);
  console.log('$ drydock start --port 0 &');
  daemon = spawn(process.execPath, [BIN, 'start', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  daemon.stdout.on('data', (c) => {
    startOutput += c;
  });
  daemon.stderr.on('data', (c) => {
    startOutput += c;
  });
  await waitFor('the HTTP API', async () => ((await api('/api/status')) ? true : undefined));
  const bannerEnd = startOutput.indexOf('Ctrl-C');
  console.log(
    indent(bannerEnd >= 0 ? startOutput.slice(0, startOutput.indexOf('\n', bannerEnd)) : startOutput),
  );
  let shownUpTo = startOutput.length;

  heading('The base catalogue (seeded on a first start; the default policy whitelists exactly these)');
  await waitFor('the seeded bases', async () =>
    (await api('/api/bases')).bases.length >= 2 ? true : undefined,
  );
  // Seeding logs its last line just after the bases are listed.
  await waitFor('the end of seeding', async () =>
    /bases: .* ready$|seeding failed/m.test(startOutput) ? true : undefined,
  );
  console.log(indent(startOutput.slice(shownUpTo)));
  shownUpTo = startOutput.length;
  await drydock(['bases', 'ls']);
  const { registry } = JSON.parse(readFileSync(join(state, 'runtime.json'), 'utf8'));

  heading('Create a repository: its post-receive hook sends every push through the gate');
  const created = await drydock(['repo', 'create', 'shop']);
  const remote = created.trim().split('\n').at(-1);

  heading('Push a clean definition and one that pipes a download into a shell');
  mkdirSync(work, { recursive: true });
  await sh('git init --quiet -b main work && cd work', 'git', ['init', '--quiet', '-b', 'main', work]);
  for (const [path, text] of Object.entries({ ...GOOD, ...BAD })) {
    const body = text.replaceAll('REGISTRY', registry);
    mkdirSync(dirname(join(work, path)), { recursive: true });
    writeFileSync(join(work, path), body);
    console.log(`   ${path}:\n${indent(body).replace(/^ {3}/gm, '     | ')}`);
  }
  console.log('$ git add . && git commit --quiet -m "hello and bad"');
  await exec('git', ['add', '.'], { cwd: work });
  await exec('git', ['commit', '--quiet', '-m', 'hello and bad'], { cwd: work });
  await sh(`git remote add drydock ${remote}`, 'git', ['remote', 'add', 'drydock', remote], { cwd: work });
  console.log('   (the lines after "remote:" are drydock\'s post-receive hook)');
  await sh('git push drydock main', 'git', ['push', 'drydock', 'main'], { cwd: work });
  const commit = (await sh('git rev-parse HEAD', 'git', ['rev-parse', 'HEAD'], { cwd: work })).trim();

  heading('Wait for the verdicts and the build (drydock start logs each step)');
  const verdicts = await waitFor('both verdicts', async () => {
    const { pushes } = await api('/api/pushes');
    const push = pushes.find((p) => p.commit === commit);
    return push && push.verdicts.length === 2 ? push.verdicts : undefined;
  });
  const image = await waitFor('the image of hello/Dockerfile', async () => {
    const { builds } = await api('/api/builds');
    const build = builds.find((b) => b.commit === commit && b.definition === 'hello/Dockerfile');
    if (build?.state === 'failed')
      throw new StepFailed(`the build of hello/Dockerfile failed: ${build.error}`);
    const { images } = await api('/api/images');
    return images.find((i) => i.commit === commit && i.definition === 'hello/Dockerfile');
  });
  // The image is published before lineage and notifications are recorded; give those a moment.
  await waitFor('the notification of the failed verdict', async () => {
    const { notifications } = await api('/api/notifications');
    return notifications.some((n) => n.commit === commit) ? true : undefined;
  });
  console.log(indent(startOutput.slice(shownUpTo)));

  heading('What the pipeline did: pushes with their verdicts, builds, queues');
  await drydock(['status']);

  heading('Builds');
  await drydock(['builds']);
  const build = (await api('/api/builds')).builds.find((b) => b.commit === commit);
  const prefix = build.buildId.slice(0, 12);

  heading('Published images, with the bases they were built on');
  await drydock(['images']);

  heading("A build's log (first lines)");
  console.log(`$ drydock logs ${prefix} | head -12`);
  await exec(process.execPath, [BIN, 'logs', prefix], { head: 12 });

  heading('Notifications for the team (the failed verdict, with every finding)');
  await drydock(['notifications']);

  heading('The image in the registry: its OCI labels name the base, its digest, the source and the commit');
  const inspected = JSON.parse(
    await sh(
      `skopeo inspect --tls-verify=false docker://${image.ref} | jq .Labels`,
      'skopeo',
      ['inspect', '--tls-verify=false', `docker://${image.ref}`],
      { quiet: true },
    ),
  );
  console.log(indent(JSON.stringify(inspected.Labels, null, 2)));
  if (inspected.Labels['org.opencontainers.image.revision'] !== commit)
    throw new Error(`the image's revision label is not ${commit}`);

  heading(
    'Run the image on a small fleet: one container on each of two hosts (podman, labelled with the host)',
  );
  for (const host of ['web-1', 'web-2'])
    await drydock(['fleet', 'start', image.ref, '--host', host, '--', 'sleep', '3600'], { quiet: true });
  await drydock(['fleet', 'ls']);

  heading('Ops approve a band-aid: a command the ban response may run in containers of affected images');
  const bandAid = BAND_AID.replaceAll('REGISTRY', registry);
  console.log(
    `$ cat >> ${join(state, 'policy.yaml')} <<'EOF'\n${indent(bandAid).replace(/^ {3}/gm, '     | ')}\n   EOF`,
  );
  appendFileSync(join(state, 'policy.yaml'), bandAid);
  await drydock(['policy', 'validate', join(state, 'policy.yaml')]);

  const banned = `${registry}/base/busybox:1.36.0`;
  const banArgs = [
    banned,
    '--reason',
    'CVE-2026-0001: remote shell in the busybox httpd',
    '--replacement',
    `${registry}/base/busybox:1.36.1`,
    '--band-aid',
    'stamp-containers',
    '--param',
    'note=patched',
  ];
  heading('A CVE in busybox 1.36.0: ops first look at what a ban would do (--dry-run changes nothing)');
  await drydock(['ban', ...banArgs, '--dry-run']);

  heading(
    'Ban it: the image is marked unsupported, rebuilt on 1.36.1, and the band-aid runs in both containers',
  );
  const before = startOutput.length;
  await drydock(['ban', ...banArgs]);
  const { bans } = await api('/api/bans');
  const banId = bans.find((b) => b.state === 'active')?.banId;
  if (!banId) throw new Error('drydock ban left no active ban');
  const ban = await waitFor('the ban to be remediated and protection complete', async () => {
    const detail = await api(`/api/bans/${banId}`);
    if (detail.rebuilds.some((r) => r.state === 'failed' || r.state === 'reported'))
      throw new StepFailed(
        `a rebuild ended ${detail.rebuilds.map((r) => `${r.state} ${r.reason ?? ''}`).join(', ')}`,
      );
    return detail.protectedAt && detail.remediatedAt ? detail : undefined;
  });
  console.log('   (drydock start logs the ban, the band-aid batch and the rebuild:)');
  console.log(indent(startOutput.slice(before)));

  heading('The ban: what it marked, rebuilt and ran, and its times to protection and remediation');
  await drydock(['ban', 'show', banId]);

  heading('Images: the old one unsupported, with the ban and its reason; the rebuild beside it');
  await drydock(['images']);

  heading(
    'No new container of the old image starts (a plain podman run of it is refused too, by the prestart hook)',
  );
  const refusal = await drydock(['run', image.ref, '--', 'sleep', '1'], { refused: 1 });
  const conf = join(state, 'containers');
  console.log('$ export CONTAINERS_CONF=$DRYDOCK_STATE/containers/fleet-containers.conf \\');
  console.log('    CONTAINERS_STORAGE_CONF=$DRYDOCK_STATE/containers/storage.conf \\');
  console.log('    CONTAINERS_REGISTRIES_CONF=$DRYDOCK_STATE/containers/registries.conf');
  const hookRefusal = await sh(
    `podman run --rm ${image.ref} true`,
    'podman',
    ['run', '--rm', image.ref, 'true'],
    {
      refused: 126,
      env: {
        CONTAINERS_CONF: join(conf, 'fleet-containers.conf'),
        CONTAINERS_STORAGE_CONF: join(conf, 'storage.conf'),
        CONTAINERS_REGISTRIES_CONF: join(conf, 'registries.conf'),
      },
    },
  );

  heading('The fleet: the running containers are unsupported, and the band-aid ran in each');
  await drydock(['fleet', 'ls']);
  for (const host of ['web-1', 'web-2']) await drydock(['fleet', 'stop', '--host', host]);

  heading('Stop the pipeline (Ctrl-C in its terminal)');
  console.log(`$ kill -INT ${daemon.pid}`);
  const stopFrom = startOutput.length;
  const code = await stopDaemon();
  console.log(indent(startOutput.slice(stopFrom)));
  if (code !== 0) throw new Error(`drydock start exited with ${code} after SIGINT`);

  const good = verdicts.find((v) => v.definition === 'hello/Dockerfile');
  const bad = verdicts.find((v) => v.definition === 'bad/Dockerfile');
  if (!good?.passed) throw new Error('hello/Dockerfile did not pass the gate');
  if (bad?.passed !== false || bad.findings.length === 0) throw new Error('bad/Dockerfile was not refused');
  console.log('\n== Done');
  console.log(`hello/Dockerfile: passed, published image: ${image.ref} ${image.digest}`);
  console.log(
    `bad/Dockerfile: FAILED, no build: ${bad.findings.map((f) => `${f.code} line ${f.line}`).join(', ')}`,
  );
  const rebuilt = ban.rebuilds.map((r) => `${r.newRef} ${r.newDigest}`).join(', ');
  const ran = ban.bandAidRuns.filter((r) => r.state === 'succeeded').length;
  console.log(
    `ban ${banId} of ${banned}: ${ban.images.length} image unsupported, rebuilt as ${rebuilt}; ` +
      `band-aid succeeded in ${ran} of ${ban.bandAidRuns.length} containers; ` +
      `protection ${ban.timeToProtectionMs} ms, remediation ${ban.timeToRemediationMs} ms`,
  );
  if (!/CVE-2026-0001/.test(refusal)) throw new Error(`drydock run of the old image said: ${refusal}`);
  if (!/drydock admission: refused/.test(hookRefusal))
    throw new Error(`podman run of the old image said: ${hookRefusal}`);
  console.log(`state dir: ${state}`);
  console.log(`explore it again:  drydock start --state ${state}   (then drydock images --state ${state})`);
  console.log(`remove it:         rm -rf ${root}`);
}

try {
  await tour();
} catch (error) {
  console.error(`\ndemo FAILED at step ${stepNo}: ${error.message}`);
  if (startOutput)
    console.error(`drydock start printed:\n${indent(startOutput.split('\n').slice(-30).join('\n'))}`);
  // Fleet containers run `sleep 3600`: do not leave them behind.
  for (const host of ['web-1', 'web-2'])
    await exec(process.execPath, [BIN, 'fleet', 'stop', '--host', host], { quiet: true }).catch(
      () => undefined,
    );
  await stopDaemon().catch(() => undefined);
  console.error(`state dir: ${state}`);
  process.exitCode = 1;
}
