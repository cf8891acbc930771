import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BuildahBuildService,
  type BuildLimits,
  buildLimitsFrom,
  DEFAULT_BUILD_LIMITS,
} from '../../../adapters/local/buildah-build-service.js';
import { writeBusyboxBaseContext } from '../../../adapters/local/busybox-base-seeder.js';
import { BUILD_NETWORK } from '../../../adapters/local/container-env.js';
import { BuildFailedError, type BuildRequest } from '../../../core/ports/build-service.js';
import {
  type ContainerStorage,
  createContainerStorage,
} from '../../fixtures/image-tests/container-storage.js';

// Each test performs an attack a team's Dockerfile could make, from inside a real build, and shows it refused.
// Against the former `--isolation chroot` builder the escape read the secret, the loopback service answered, the
// setsid process outlived the build and the step saw every host process.

const run = promisify(execFile);
const BASE = 'localhost/base/busybox:1.36.0';
let storage: ContainerStorage;
let builder: BuildahBuildService;
let secretDir: string;

function request(dir: string, dockerfileText: string, extra: Partial<BuildRequest> = {}): BuildRequest {
  return {
    buildId: 'attack',
    contextDir: dir,
    dockerfileText,
    tag: 'localhost/apps/attack:1',
    timeoutMs: 120_000,
    log: () => undefined,
    ...extra,
  };
}

function withLimits(limits: Partial<BuildLimits>): BuildahBuildService {
  return new BuildahBuildService({ env: storage.env, pull: 'never', limits });
}

async function context(name: string, files: Record<string, string | Buffer> = {}): Promise<string> {
  const dir = join(storage.dir, name);
  await mkdir(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) await writeFile(join(dir, file), content);
  return dir;
}

async function buildLog(
  b: BuildahBuildService,
  req: BuildRequest,
): Promise<{ lines: string[]; error?: unknown }> {
  const lines: string[] = [];
  try {
    await b.build({ ...req, log: (l) => lines.push(l) });
    return { lines };
  } catch (error) {
    return { lines, error };
  }
}

async function hostProcessesWith(marker: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir('/proc')).filter((p) => /^\d+$/.test(p))) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(marker)) found.push(`${pid}: ${cmdline.replaceAll('\0', ' ')}`);
  }
  return found;
}

function listen(host: string): Promise<{ server: Server; port: number; connections: () => number }> {
  let count = 0;
  const server = createServer((socket) => {
    count++;
    socket.end('HTTP/1.0 200 OK\r\n\r\nhost service\n');
  });
  return new Promise((resolve) => {
    server.listen(0, host, () => {
      const address = server.address();
      resolve({
        server,
        port: typeof address === 'object' && address ? address.port : 0,
        connections: () => count,
      });
    });
  });
}

beforeAll(async () => {
  storage = await createContainerStorage();
  builder = new BuildahBuildService({ env: storage.env, pull: 'never' });
  const base = join(storage.dir, 'base');
  await builder.build(
    request(base, await writeBusyboxBaseContext(base, '1.36.0'), { buildId: 'base', tag: BASE }),
  );
  secretDir = await mkdtemp(join(tmpdir(), 'drydock-secret-'));
}, 120_000);

afterAll(async () => {
  await storage?.cleanup();
  if (secretDir) await rm(secretDir, { recursive: true, force: true });
});

describe('BuildahBuildService sandbox', () => {
  it('runs a RUN step as an unprivileged host uid, with the step shell as PID 1 and no host process in sight', async () => {
    const ctx = await context('whoami');
    const { lines, error } = await buildLog(
      builder,
      request(
        ctx,
        `FROM ${BASE}\nRUN echo "uidmap $(head -n1 /proc/self/uid_map)"; echo "pid1 $(cat /proc/1/cmdline | tr '\\0' ' ')"; echo "procs $(ls /proc | grep -c '^[0-9]')"\n`,
      ),
    );
    expect(error).toBeUndefined();
    const uidmap = lines.find((l) => l.startsWith('uidmap '))?.split(/\s+/);
    // "uidmap <inside> <outside> <count>": root inside is a uid from the containers range outside, never 0.
    expect(uidmap?.[1]).toBe('0');
    expect(Number(uidmap?.[2])).toBeGreaterThanOrEqual(2147483647);
    expect(lines.find((l) => l.startsWith('pid1 '))).toMatch(/^pid1 \/bin\/sh -c /);
    // The step sees its own shell and the commands it ran, not the host's hundreds of processes.
    expect(Number(lines.find((l) => l.startsWith('procs '))?.split(' ')[1])).toBeLessThan(10);
  });

  it('cannot reach a service on the host loopback, and the service sees no connection', async () => {
    const service = await listen('127.0.0.1');
    try {
      const ctx = await context('loopback');
      const { lines, error } = await buildLog(
        builder,
        request(
          ctx,
          `FROM ${BASE}\nRUN if wget -q -T 3 -O- http://127.0.0.1:${service.port}/; then echo REACHED-$((1+1)); else echo unreachable; fi; if echo x | nc -w 3 127.0.0.1 ${service.port}; then echo REACHED-$((1+1)); fi\n`,
        ),
      );
      expect(error).toBeUndefined();
      expect(lines).toContain('unreachable');
      expect(lines).not.toContain('REACHED-2');
      expect(lines.join('\n')).not.toContain('host service');
      expect(service.connections()).toBe(0);
    } finally {
      service.server.close();
    }
  });

  it('cannot reach a service on the host address either (no network at all by default)', async () => {
    const service = await listen('0.0.0.0');
    try {
      const { stdout } = await run('hostname', ['-I']);
      const hostAddress = stdout.trim().split(/\s+/)[0] ?? '127.0.0.1';
      const ctx = await context('host-address');
      const { lines, error } = await buildLog(
        builder,
        request(
          ctx,
          `FROM ${BASE}\nRUN ls /sys/class/net; if wget -q -T 3 -O- http://${hostAddress}:${service.port}/; then echo REACHED-$((1+1)); else echo unreachable; fi\n`,
        ),
      );
      expect(error).toBeUndefined();
      expect(lines).toContain('unreachable');
      expect(lines).toContain('lo');
      expect(lines).not.toContain('eth0');
      expect(service.connections()).toBe(0);
    } finally {
      service.server.close();
    }
  });

  it('with build.network egress, is on its own bridge and still reaches neither the gateway nor the host address', async () => {
    const service = await listen('0.0.0.0');
    try {
      const { stdout } = await run('hostname', ['-I']);
      const hostAddress = stdout.trim().split(/\s+/)[0] ?? '127.0.0.1';
      const ctx = await context('egress');
      const tries = [BUILD_NETWORK.gateway, hostAddress, '127.0.0.1']
        .map(
          (address) =>
            `if echo x | nc -w 3 ${address} ${service.port} >/dev/null 2>&1; then echo "REACHED $address-$((1+1))"; else echo "unreachable ${address}"; fi`,
        )
        .join('; ');
      const { lines, error } = await buildLog(
        withLimits({ network: 'egress' }),
        request(
          ctx,
          `FROM ${BASE}\nRUN echo "address $(ip -4 -o addr show eth0 | awk '{print $4}')"; ${tries}\n`,
        ),
      );
      expect(error).toBeUndefined();
      // On the build bridge: egress itself cannot be shown on a machine without a network.
      expect(lines.find((l) => l.startsWith('address '))).toMatch(/^address 10\.89\.200\.\d+\/24$/);
      expect(lines).toContain(`unreachable ${BUILD_NETWORK.gateway}`);
      expect(lines).toContain(`unreachable ${hostAddress}`);
      expect(lines).toContain('unreachable 127.0.0.1');
      expect(lines.filter((l) => l.startsWith('REACHED'))).toEqual([]);
      expect(service.connections()).toBe(0);
    } finally {
      service.server.close();
    }
  });

  it('leaves no process running after the build, even one started with setsid in the background', async () => {
    // A sleep of a length nothing else uses marks the process (busybox sh execs it, so the sleep's own argv).
    const seconds = String(500_000 + Math.floor(Math.random() * 400_000));
    const ctx = await context('outlive');
    const { lines, error } = await buildLog(
      builder,
      request(
        ctx,
        `FROM ${BASE}\nRUN setsid sleep ${seconds} </dev/null >/dev/null 2>&1 & sleep 1; echo "running $(ps | grep -c 'sleep ${seconds}$')"\n`,
      ),
    );
    expect(error).toBeUndefined();
    expect(lines).toContain('running 1');
    expect(await hostProcessesWith(`sleep\0${seconds}`)).toEqual([]);
  });

  it('keeps a static binary committed beside the Dockerfile inside: the chroot escape reads no host file', async () => {
    const secret = join(secretDir, 'root-only.txt');
    const token = `host-secret-${process.pid}-${Date.now()}`;
    await writeFile(secret, `${token}\n`, { mode: 0o600 });
    await chmod(secretDir, 0o700);
    const ctx = await context('escape', {
      'escape.c': [
        '#include <fcntl.h>',
        '#include <stdio.h>',
        '#include <sys/stat.h>',
        '#include <unistd.h>',
        'int main(int argc, char **argv) {',
        '  char buf[4096];',
        '  mkdir("/escape-dir", 0755);',
        '  if (chroot("/escape-dir") != 0) perror("chroot");',
        '  for (int i = 0; i < 64; i++) chdir("..");',
        '  if (chroot(".") != 0) perror("chroot .");',
        '  int fd = open(argv[1], O_RDONLY);',
        '  if (fd < 0) { perror(argv[1]); return 1; }',
        '  ssize_t n = read(fd, buf, sizeof buf - 1);',
        '  if (n < 0) { perror("read"); return 1; }',
        '  buf[n] = 0;',
        '  printf("read: %s", buf);',
        '  return 0;',
        '}',
        '',
      ].join('\n'),
    });
    await run('gcc', ['-static', '-O1', '-o', join(ctx, 'escape'), join(ctx, 'escape.c')]);
    // A Dockerfile the gate passes: a whitelisted base, a COPY and a RUN of the team's own program.
    const { lines, error } = await buildLog(
      builder,
      request(
        ctx,
        `FROM ${BASE}\nCOPY escape /usr/local/bin/escape\nRUN /usr/local/bin/escape ${secret} || echo escape-failed\n`,
      ),
    );
    expect(error).toBeUndefined();
    expect(lines.join('\n')).not.toContain(token);
    expect(lines).toContain('escape-failed');
  });

  it('refuses an image holding a device node, such as the host disk ADDed from a tarball', async () => {
    const ctx = await context('device-node');
    // buildah unpacks an ADDed tarball as the host's root, device nodes included: this one is the host's first
    // disk, mode 0666, owned by the host's root, in the host's file system and in the image as published.
    const tree = join(ctx, 'tree');
    await mkdir(join(tree, 'dev'), { recursive: true });
    await run('mknod', ['-m', '666', join(tree, 'dev', 'hostdisk'), 'b', '254', '0']);
    await run('tar', ['-C', tree, '-cf', join(ctx, 'devices.tar'), 'dev']);
    await rm(tree, { recursive: true });
    const { error } = await buildLog(
      builder,
      request(ctx, `FROM ${BASE}\nADD devices.tar /x/\n`, { tag: 'localhost/apps/device:1' }),
    );
    expect(error).toBeInstanceOf(BuildFailedError);
    expect((error as Error).message).toMatch(
      /^build attack failed: the image holds a device node \(\/x\/dev\/hostdisk, block 254:0\)/,
    );
    expect(
      await storage.tool('buildah', ['images', '--quiet', 'localhost/apps/device:1']).catch(() => ''),
    ).toBe('');
  });

  it('cuts a RUN step output line without end into pieces instead of joining it again for every chunk', async () => {
    const ctx = await context('long-line');
    // 20 MB with no line feed: every chunk was appended to the pending line and the whole of it split again, work
    // growing with the square of the output on the daemon's thread (and a string past V8's limit at ~512 MB).
    const { lines, error } = await buildLog(
      builder,
      request(ctx, `FROM ${BASE}\nRUN head -c 20000000 /dev/zero | tr '\\0' a; echo; echo done\n`),
    );
    expect(error).toBeUndefined();
    expect(lines).toContain('done');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(64 * 1024);
    const pieces = lines.filter((l) => /^a+$/.test(l));
    expect(pieces.reduce((sum, l) => sum + l.length, 0)).toBe(20_000_000);
  });

  it('fails a fork bomb with a message naming the process limit', async () => {
    const ctx = await context('fork-bomb');
    const limited = withLimits({ maxProcesses: 64 });
    const { error } = await buildLog(
      limited,
      request(ctx, `FROM ${BASE}\nRUN bomb() { bomb & bomb; }; bomb\n`),
    );
    expect(error).toBeInstanceOf(BuildFailedError);
    expect((error as Error).message).toMatch(
      /^build attack failed: the build reached its limit of 64 processes \(build\.maxProcesses\)/,
    );
  });

  it('fails a memory hog with a message naming the memory limit', async () => {
    const ctx = await context('memory-hog');
    const limited = withLimits({ memoryBytes: 64 * 1024 * 1024 });
    const { error } = await buildLog(
      limited,
      request(ctx, `FROM ${BASE}\nRUN x=$(head -c 400000000 /dev/zero | tr '\\0' a); echo \${#x}\n`),
    );
    expect(error).toBeInstanceOf(BuildFailedError);
    expect((error as Error).message).toMatch(
      /^build attack failed: the build ran out of memory: its limit is 64 MiB \(build\.memoryMiB\)/,
    );
  });

  it('refuses a context over the limit before building', async () => {
    const ctx = await context('big-context', { 'blob.bin': Buffer.alloc(2 * 1024 * 1024) });
    const lines: string[] = [];
    const error = await withLimits({ maxContextBytes: 1024 * 1024 })
      .build(request(ctx, `FROM ${BASE}\n`, { log: (l) => lines.push(l) }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BuildFailedError);
    expect((error as Error).message).toBe(
      'build attack failed: the build context is larger than the limit of 1 MiB (build.maxContextMiB)',
    );
    expect(lines).toEqual([]);
  });

  it('fails an image over the size limit and keeps it out of storage', async () => {
    const ctx = await context('big-image');
    const limited = withLimits({ maxImageBytes: 4 * 1024 * 1024 });
    const { error } = await buildLog(
      limited,
      request(
        ctx,
        `FROM ${BASE}\nRUN head -c 1500000 /dev/urandom > /a && head -c 1500000 /dev/urandom > /b\n`,
        {
          tag: 'localhost/apps/big:1',
        },
      ),
    );
    expect(error).toBeInstanceOf(BuildFailedError);
    // Found after the build, or while it ran when the watch looked during the RUN step: the same limit.
    expect((error as Error).message).toMatch(
      /^build attack failed: the image is (\d+ MiB, larger than|over) the limit of 4 MiB \(build\.maxImageMiB\)/,
    );
    expect(await storage.tool('buildah', ['images', '--quiet', 'localhost/apps/big:1']).catch(() => '')).toBe(
      '',
    );
  });

  it('stops a build that keeps writing past the image limit while it runs', async () => {
    const ctx = await context('disk-filler');
    const limited = withLimits({ maxImageBytes: 4 * 1024 * 1024 });
    // Each file stays under the per-file limit; together they pass the image limit, and the step then idles far
    // longer than the watch needs to notice.
    const { error } = await buildLog(
      limited,
      request(
        ctx,
        `FROM ${BASE}\nRUN for i in 1 2 3 4; do head -c 3000000 /dev/urandom > /fill-$i; done; sync; sleep 100\n`,
      ),
    );
    expect(error).toBeInstanceOf(BuildFailedError);
    expect((error as Error).message).toMatch(
      /^build attack failed: the image is over the limit of 4 MiB \(build\.maxImageMiB\): its files passed it while the build ran, and the build was stopped/,
    );
  });

  it('stops a build that fills the disk with empty directories while it runs, counting what they take', async () => {
    const ctx = await context('dir-filler');
    const limited = withLimits({ maxImageBytes: 4 * 1024 * 1024 });
    // 3000 directories hold no file bytes but take a block each (12 MB on ext4); removed before the step ends,
    // they are in no image, so only the watch can see them. Counted as zero bytes, they passed any limit.
    const { error } = await buildLog(
      limited,
      request(
        ctx,
        `FROM ${BASE}\nRUN mkdir /d && cd /d && seq 3000 | xargs mkdir && echo "made $(ls | wc -l)" && sleep 100; rm -rf /d\n`,
      ),
    );
    // Stopped while the directories are made, or once they all are: the same limit either way.
    expect(error).toBeInstanceOf(BuildFailedError);
    expect((error as Error).message).toMatch(
      /^build attack failed: the image is over the limit of 4 MiB \(build\.maxImageMiB\): its files passed it while the build ran, and the build was stopped/,
    );
  });

  it('stops a build that fills a cache mount past the image limit: the mount is not in its image', async () => {
    const ctx = await context('cache-filler');
    // A cache mount is a directory on the host owned by the uid the mount names; root of the build is the first
    // host uid of its user namespace, which a first build shows.
    const probe = await buildLog(
      builder,
      request(ctx, `FROM ${BASE}\nRUN echo "uidmap $(head -n1 /proc/self/uid_map)"\n`),
    );
    const uid = probe.lines.find((l) => l.startsWith('uidmap '))?.split(/\s+/)[2];
    const limited = withLimits({ maxImageBytes: 4 * 1024 * 1024 });
    const { lines, error } = await buildLog(
      limited,
      request(
        ctx,
        `FROM ${BASE}\nARG U\nRUN --mount=type=cache,target=/c,uid=$U,gid=$U for i in 1 2 3 4; do head -c 3000000 /dev/urandom > /c/f$i; done; echo "cached $(ls /c | wc -l)"; sleep 100\n`,
        { buildArgs: { U: uid ?? '0' } },
      ),
    );
    expect(lines.join('\n')).not.toContain('Permission denied');
    expect(error).toBeInstanceOf(BuildFailedError);
    expect((error as Error).message).toMatch(
      /^build attack failed: the image is over the limit of 4 MiB \(build\.maxImageMiB\): its files passed it while the build ran, and the build was stopped/,
    );
  });

  it('stops a RUN step writing one file larger than the image may be', async () => {
    const ctx = await context('big-file');
    const limited = withLimits({ maxImageBytes: 4 * 1024 * 1024 });
    const { lines, error } = await buildLog(
      limited,
      request(ctx, `FROM ${BASE}\nRUN head -c 8000000 /dev/zero > /big; echo "size $(wc -c < /big)"\n`),
    );
    // The write stops at the limit; the image (or the storage it took) is then over the limit as a whole.
    expect(lines).toContain(`size ${4 * 1024 * 1024}`);
    expect(error).toBeInstanceOf(BuildFailedError);
    expect((error as Error).message).toMatch(/^build attack failed: .*\(build\.maxImageMiB\)/);
  });

  it('takes the limits the policy build section sets, in bytes, and leaves the rest to the defaults', () => {
    expect(buildLimitsFrom(undefined)).toEqual({});
    expect(buildLimitsFrom({ network: 'egress', memoryMiB: 512, maxImageMiB: 100 })).toEqual({
      network: 'egress',
      memoryBytes: 512 * 1024 * 1024,
      maxImageBytes: 100 * 1024 * 1024,
    });
    expect(buildLimitsFrom({ maxProcesses: 64, maxContextMiB: 1 })).toEqual({
      maxProcesses: 64,
      maxContextBytes: 1024 * 1024,
    });
  });

  it('has defaults a build of a real application fits in', () => {
    expect(DEFAULT_BUILD_LIMITS).toEqual({
      network: 'none',
      memoryBytes: 2 * 1024 ** 3,
      maxProcesses: 1024,
      maxContextBytes: 512 * 1024 ** 2,
      maxImageBytes: 4 * 1024 ** 3,
    });
  });
});
