import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { type CliIo, EXIT } from '../context.js';
import { stateDir } from '../state-dir.js';

/**
 * The argv a repository's post-receive hook runs: this drydock's hook entry (the same as `drydock hook
 * post-receive`, without loading the rest of the CLI), with the state dir and repository name.
 */
export function hookCommand(state: string, name: string): string[] {
  return [process.execPath, hookBin(), '--state', state, '--repo', name];
}

/** bin/drydock-hook.js of this installation, from the bundle (dist/, dist/chunks/) or from the sources (cli/commands/). */
function hookBin(): string {
  for (const rel of ['../bin/drydock-hook.js', '../../bin/drydock-hook.js', '../../../bin/drydock-hook.js']) {
    const path = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('cannot find bin/drydock-hook.js next to this drydock installation');
}

export function registerRepo(program: Command, io: CliIo, setExit: (code: number) => void): void {
  const repo = program.command('repo').description('Git repositories teams push their definitions to');
  repo
    .command('create')
    .description('Create a bare repository whose pushes go through the gate, and print the remote to add')
    .argument('<name>', 'repository name: lower-case letters, digits, ".", "_", "-"')
    .option('-s, --state <dir>', 'state directory (default: $DRYDOCK_STATE or ./.drydock)')
    .addHelpText(
      'after',
      '\nExamples:\n  drydock repo create payments\n  git remote add drydock "$(drydock repo create web --state /srv/drydock | tail -1)"',
    )
    .action(async (name: string, flags: { state?: string }) => {
      const { createBareRepository } = await import('../../adapters/local/git-repositories.js');
      const state = stateDir(flags.state, io.env, io.cwd);
      const repo = await createBareRepository(join(state, 'repos'), name, hookCommand(state, name));
      io.stdout(
        `created ${repo.name}; add it as a remote and push definitions to it:\n  git remote add drydock ${repo.remote}\n${repo.remote}\n`,
      );
      setExit(EXIT.ok);
    });
}
