import { BUILDKIT } from '../../../core/dockerfile/builder-profile.js';
import { awsPort } from '../aws-ports.js';

/** The gate settings on AWS: CodeBuild builds with BuildKit, so the gate refuses what BuildKit would read differently. */
export const gateSettings = awsPort('gateSettings', () => ({ builders: [BUILDKIT] }));
