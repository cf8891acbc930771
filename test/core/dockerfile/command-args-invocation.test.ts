import { describe, expect, it } from 'vitest';
import { invocation } from '../../../core/dockerfile/command-args.js';
import { parseDockerfile } from '../../../core/dockerfile/parse.js';

const first = (run: string) => {
  const cmd = parseDockerfile(`FROM x\nRUN ${run}`).model.instructions[1]?.shell?.commands[0];
  if (!cmd) throw new Error(`no command in ${run}`);
  return invocation(cmd);
};

describe('invocation', () => {
  it('sees through python -m', () => {
    expect(first('python3 -m pip install x')).toEqual({ name: 'pip', args: ['install', 'x'] });
  });
  it('skips interpreter options before -m', () => {
    expect(first('python3.12 -I -X utf8 -m pip install x')).toEqual({ name: 'pip', args: ['install', 'x'] });
  });
  it('reads the module glued to -m', () => {
    expect(first('python -mpip install x').name).toBe('pip');
  });
  it('sees through wrappers first', () => {
    expect(first('sudo -E python3 -m pip install x').name).toBe('pip');
  });
  it('leaves a python script run alone', () => {
    expect(first('python3 manage.py -m x')).toEqual({ name: 'python3', args: ['manage.py', '-m', 'x'] });
  });
  it('returns other commands unwrapped', () => {
    expect(first('env A=1 curl -k https://x')).toEqual({ name: 'curl', args: ['-k', 'https://x'] });
  });
});
