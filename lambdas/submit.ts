import { makeSubmitHandler } from './handlers/submit.js';
import { submitDeps } from './shared/aws-ports.js';

/** IAM-authenticated function URL handler of `drydock submit`. */
export const handler = makeSubmitHandler(submitDeps());
