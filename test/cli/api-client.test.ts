import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PipelineApi } from '../../cli/api-client.js';
import { ensureApiTokens } from '../../runtime/local/api-tokens.js';
import { writeRuntimeInfo } from '../../runtime/local/runtime-info.js';
import { tempDir } from '../helpers/temp-dir.js';

/** nobody's listener: prints its port, then the Authorization header of every request it gets. */
const LISTENER = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  process.stdout.write('got ' + (req.headers.authorization ?? 'no token') + '\\n');
  res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
});
server.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));
`;

describe('PipelineApi.connect', () => {
  it('sends no token to an API port another user took after drydock start was killed', async () => {
    const stateDir = tempDir('drydock-client-');
    chmodSync(stateDir, 0o755);
    const { tokens } = await ensureApiTokens(stateDir);
    // setpriv execs node as nobody, so the kill below ends it.
    const listener = spawn(
      'setpriv',
      ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, '-e', LISTENER],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    const exited = once(listener, 'exit');
    let output = '';
    listener.stdout.setEncoding('utf8');
    try {
      const port = await new Promise<number>((resolve) =>
        listener.stdout.on('data', (chunk: string) => {
          output += chunk;
          const m = /port (\d+)\n/.exec(output);
          if (m) resolve(Number(m[1]));
        }),
      );
      // What a SIGKILLed drydock start leaves: its runtime.json, naming a pid that now runs another program
      // (pids wrap at 32768; nobody's listener has it here) and a port that is free for anyone to take.
      await writeRuntimeInfo({
        version: '0.0.0-test',
        pid: listener.pid ?? 0,
        startedAt: '2026-12-07T12:00:00.000Z',
        stateDir,
        api: `http://127.0.0.1:${port}`,
        registry: '127.0.0.1:1',
        repos: `${stateDir}/repos`,
        policy: `${stateDir}/policy.yaml`,
      });
      const status = PipelineApi.connect(stateDir).then((api) => api.get('/api/status'));
      await expect(status).rejects.toThrow(`is held by uid 65534, not by uid ${process.getuid?.()}`);
      // The wake-up carries no token and may still go there.
      await (await PipelineApi.connect(stateDir, { authenticate: false })).wake();
    } finally {
      listener.kill('SIGKILL');
      await exited;
    }
    expect(output).toContain('got no token');
    expect(output).not.toContain(tokens.ops);
  });
});
