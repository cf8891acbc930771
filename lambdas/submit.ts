import { makeSubmitHandler } from './handlers/submit.js';
import { submitDeps } from './shared/deps/submit.js';

/** IAM-authenticated function URL handler of `drydock submit`. */
export const handler = makeSubmitHandler(submitDeps());
