import { Validations } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { drydockApp } from './synth.js';

// Every acknowledgement the stack records: rule id and reason.
function acknowledgements(app: ReturnType<typeof drydockApp>['app']): { id: string; reason: string }[] {
  return app.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
    .flatMap((m) => Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({ id, reason })));
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing that is not acknowledged with a reason', () => {
    const { app } = drydockApp({ nag: true });
    // cdk-nag 3 reports through CDK's validation: any unacknowledged finding makes synth throw ValidationFailed.
    expect(() => app.synth()).not.toThrow();
  });

  it('gives every acknowledgement a reason of its own', () => {
    const { app } = drydockApp();
    const acks = acknowledgements(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const { id, reason } of acks) {
      expect(id).toMatch(/^(Annotation::)?AwsSolutions-[A-Z]+\d+/);
      expect(reason.length, id).toBeGreaterThan(30);
    }
  });
});
