import { describe, expect, it } from 'vitest';
import { ConfigError, DrydockError, ToolMissingError } from '../../core/errors.js';

describe('errors', () => {
  it('keeps a stable code, retryability and the cause', () => {
    const cause = new Error('low level');
    const e = new DrydockError('failed', { code: 'X_FAILED', retryable: true, cause });
    expect(e).toMatchObject({ code: 'X_FAILED', retryable: true, cause, name: 'DrydockError' });
    expect(new ConfigError('bad')).toMatchObject({
      code: 'CONFIG_INVALID',
      retryable: false,
      name: 'ConfigError',
    });
  });

  it('names the missing tool and the Debian package to install', () => {
    const error = new ToolMissingError('podman', 'podman');
    expect(error).toBeInstanceOf(DrydockError);
    expect(error.message).toMatch(
      /podman is not installed or not executable; install the Debian package "podman"/,
    );
    expect(error).toMatchObject({
      code: 'TOOL_MISSING',
      retryable: false,
      tool: 'podman',
      debianPackage: 'podman',
    });
  });
});
