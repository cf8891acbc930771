import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync } from 'node:fs';

// A node program that opens `count` silent connections to a loopback port and says `settled` once each has
// connected or failed.
const FLOODER = `
const net = require('node:net');
const [port, count] = process.argv.slice(1).map(Number);
let settled = 0;
const done = () => { if (++settled === count) process.stdout.write('settled\\n'); };
for (let i = 0; i < count; i++) {
  const socket = net.connect(port, '127.0.0.1');
  socket.once('connect', done);
  socket.once('error', done);
}
`;

/** The file descriptors this process holds. */
export const openDescriptors = (): number => readdirSync('/proc/self/fd').length;

/**
 * Opens `count` idle connections to `port` as the local user nobody, and returns once all of them connected or
 * failed; `stop` kills the flood (setpriv execs node, so the kill ends every connection).
 */
export async function floodAsNobody(port: number, count: number): Promise<{ stop(): Promise<void> }> {
  const flooder = spawn(
    'setpriv',
    [
      '--reuid=nobody',
      '--regid=nogroup',
      '--clear-groups',
      process.execPath,
      '-e',
      FLOODER,
      String(port),
      String(count),
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const exited = once(flooder, 'exit');
  const stop = async () => {
    flooder.kill('SIGKILL');
    await exited;
  };
  try {
    let output = '';
    flooder.stdout.setEncoding('utf8');
    await new Promise<void>((resolve, reject) => {
      flooder.stdout.on('data', (chunk: string) => {
        output += chunk;
        if (output.includes('settled')) resolve();
      });
      void exited.then(() => reject(new Error(`the flood ended before it settled: ${output}`)));
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { stop };
}
