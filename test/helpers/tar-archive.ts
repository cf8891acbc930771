import { spawn } from 'node:child_process';
import type { Readable } from 'node:stream';

/** One member of a hand-made tar archive; `type` is the ustar typeflag ('0' file, '1' hard link, '2' symlink, '3' char device, '5' directory, '6' FIFO). */
export interface TarMember {
  readonly name: string;
  readonly type?: '0' | '1' | '2' | '3' | '4' | '5' | '6';
  readonly content?: string | Buffer;
  readonly linkname?: string;
  readonly mode?: number;
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

/**
 * A ustar archive built byte by byte, names exactly as given: what an attacker sends, which the system's tar
 * would refuse to create (`../` names, absolute names, device nodes made without mknod).
 */
export function tarArchive(members: readonly TarMember[]): Buffer {
  const blocks: Buffer[] = [];
  for (const m of members) {
    const content = Buffer.from(m.content ?? '');
    const header = Buffer.alloc(512);
    header.write(m.name, 0, 100, 'utf8');
    header.write(octal(m.mode ?? 0o644, 8), 100, 'ascii');
    header.write(octal(0, 8), 108, 'ascii');
    header.write(octal(0, 8), 116, 'ascii');
    header.write(octal(content.length, 12), 124, 'ascii');
    header.write(octal(1_700_000_000, 12), 136, 'ascii');
    header.write(' '.repeat(8), 148, 'ascii');
    header.write(m.type ?? '0', 156, 'ascii');
    header.write(m.linkname ?? '', 157, 100, 'utf8');
    header.write('ustar\u000000', 257, 'ascii');
    if (m.type === '3') {
      header.write(octal(1, 8), 329, 'ascii');
      header.write(octal(3, 8), 337, 'ascii');
    }
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    blocks.push(header, content, Buffer.alloc((512 - (content.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** A tar stream of a directory made by the system's tar, as `drydock bases import DIR` sends it. */
export function packDirectory(dir: string): Readable {
  const tar = spawn('tar', ['--create', '--file', '-', '--numeric-owner', '--directory', dir, '.'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return tar.stdout;
}
