import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Command } from 'commander';
import { DrydockError } from '../../core/errors.js';
import { isProjectPath, isSafePath } from '../../core/push/repository-paths.js';
import type { AwsCredentials } from '../aws-sigv4.js';
import { type CliIo, EXIT, UsageError } from '../context.js';
import { jsonText, type OutputFormat, parseOutputFormat } from '../pipeline-command.js';
import { VERSION } from '../version.js';

/** The body the submit function URL accepts (lambdas/handlers/submit.ts `SubmitRequest`). */
export interface SubmitBody {
  readonly repository: string;
  readonly ref: string;
  readonly commit: string;
  readonly definitions: readonly string[];
}

/** A validated `drydock submit`: where to send what, signed for which region. */
export interface SubmitCall {
  readonly url: URL;
  readonly region: string;
  readonly body: SubmitBody;
  readonly format: OutputFormat;
}

interface SubmitFlags {
  url?: string;
  repository?: string;
  commit?: string;
  ref: string;
  definition?: string[];
  region?: string;
  format?: string;
}

/** The function URL answered with an error status; the message says what the caller can do about it. */
export class SubmitRefusedError extends DrydockError {
  override readonly name = 'SubmitRefusedError';
  readonly status: number;

  constructor(status: number, message: string) {
    super(message, { code: 'SUBMIT_REFUSED' });
    this.status = status;
  }
}

/** The credential chain found nothing to sign with. */
export class AwsCredentialsError extends DrydockError {
  override readonly name = 'AwsCredentialsError';

  constructor(message: string, cause: unknown) {
    super(message, { code: 'AWS_CREDENTIALS_MISSING', cause });
  }
}

const COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
const REGION = /^[a-z]{2,}(?:-[a-z]+)+-\d+$/;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const MAX_DEFINITIONS = 100;
const MAX_ANSWER_BYTES = 1 << 20;
const TIMEOUT_MS = 60_000;

/** The region of a Lambda function URL host, `<url-id>.lambda-url.<region>.on.aws`; undefined for any other host. */
export function functionUrlRegion(host: string): string | undefined {
  return /^[a-z0-9]+\.lambda-url\.([a-z0-9-]+)\.on\.aws$/.exec(host.toLowerCase())?.[1];
}

/** Checks every flag before anything is signed or sent; all problems at once, as one `UsageError`. */
export function parseSubmit(flags: SubmitFlags, env: NodeJS.ProcessEnv): SubmitCall {
  const format = parseOutputFormat(flags.format);
  const problems: string[] = [];

  const rawUrl = flags.url ?? env.DRYDOCK_SUBMIT_URL;
  let url: URL | undefined;
  if (!rawUrl) {
    problems.push('--url is required (or $DRYDOCK_SUBMIT_URL): the stack output SubmitUrl');
  } else if (!URL.canParse(rawUrl)) {
    problems.push(`--url ${JSON.stringify(rawUrl)} is not a URL`);
  } else {
    url = new URL(rawUrl);
    if (url.username || url.password) {
      problems.push('--url must not carry a user name or password');
      url = undefined;
    } else if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
      problems.push(`--url must be https:// (http:// only to 127.0.0.1), not ${url.protocol}//`);
      url = undefined;
    }
  }

  const repository = flags.repository?.trim() ?? '';
  if (!repository) {
    problems.push('--repository is required: <host>/<owner>/<project>, like github.com/acme/payments');
  } else if (/^[a-z]+:\/\//i.test(repository) || repository.endsWith('.git')) {
    problems.push(
      `--repository ${JSON.stringify(repository)}: give <host>/<owner>/<project> without scheme or .git, like github.com/acme/payments`,
    );
  } else {
    const slash = repository.indexOf('/');
    const host = slash < 0 ? '' : repository.slice(0, slash);
    if (!host.includes('.') || !isProjectPath(repository.slice(slash + 1)) || repository.length > 512)
      problems.push(
        `--repository ${JSON.stringify(repository)} is not <host>/<owner>/<project>, like github.com/acme/payments`,
      );
  }

  const commit = flags.commit?.trim().toLowerCase() ?? '';
  if (!commit) problems.push('--commit is required: the full commit id to build');
  else if (!COMMIT.test(commit))
    problems.push(
      `--commit ${JSON.stringify(flags.commit)} is not a full commit id (40 hex digits; 64 in SHA-256 repositories)`,
    );
  else if (/^0+$/.test(commit)) problems.push('--commit is the zero commit, which names no commit');

  // CI systems give the branch either way: GITHUB_REF=refs/heads/main, CI_COMMIT_BRANCH=main.
  const ref = flags.ref.startsWith('refs/') ? flags.ref : `refs/heads/${flags.ref}`;
  if (!ref.startsWith('refs/heads/') || ref === 'refs/heads/' || ref.length > 512)
    problems.push(`--ref ${JSON.stringify(flags.ref)} is not a branch (refs/heads/<name>)`);

  // A leading ./ is how people write paths; the pipeline wants them relative to the repository root.
  const definitions = [...new Set((flags.definition ?? []).map((d) => d.replace(/^(?:\.\/)+/, '')))];
  if (definitions.length === 0)
    problems.push('--definition is required: a Dockerfile path in the repository (repeatable)');
  if (definitions.length > MAX_DEFINITIONS)
    problems.push(`at most ${MAX_DEFINITIONS} definitions per submission, not ${definitions.length}`);
  for (const d of definitions)
    if (!isSafePath(d))
      problems.push(`--definition ${JSON.stringify(d)} is not a relative path inside the repository`);

  let region = flags.region;
  if (region !== undefined && !REGION.test(region))
    problems.push(`--region ${JSON.stringify(region)} is not an AWS region like eu-west-1`);
  region ??= url && functionUrlRegion(url.hostname);
  region ??= env.AWS_REGION || env.AWS_DEFAULT_REGION || undefined;
  if (url && !region)
    problems.push(
      `--region is required: ${url.host} is not <id>.lambda-url.<region>.on.aws, so the region cannot be read from it`,
    );

  if (problems.length > 0 || !url || !region) throw new UsageError(problems.join('\n  '));
  return { url, region, format, body: { repository, ref, commit, definitions } };
}

/** The request's headers signed with SigV4 for service `lambda` at `now`, and the access key that signed them. */
async function signedRequest(
  call: SubmitCall,
  payload: string,
  now: Date,
  env: NodeJS.ProcessEnv,
): Promise<{ headers: Record<string, string>; accessKeyId: string }> {
  const { awsCredentials, signedHeaders } = await import('../aws-sigv4.js');
  let credentials: AwsCredentials;
  try {
    credentials = await awsCredentials(call.region);
  } catch (err) {
    const found =
      (err as Error).name === 'CredentialsProviderError'
        ? 'no AWS credentials to sign the request with'
        : 'cannot load AWS credentials';
    const profile = env.AWS_PROFILE ? ` AWS_PROFILE=${env.AWS_PROFILE} gave none.` : '';
    throw new AwsCredentialsError(
      `${found} (${(err as Error).message}).${profile} drydock submit looks where the AWS CLI does:
  AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary credentials)
  AWS_PROFILE: a profile in ~/.aws/config or ~/.aws/credentials (or AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE)
  AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE: web identity (OIDC) from the CI
  the container or instance role (ECS, CodeBuild, EC2)`,
      err,
    );
  }
  const headers = await signedHeaders(
    {
      method: 'POST',
      url: call.url,
      headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) },
      body: payload,
    },
    { credentials, region: call.region, service: 'lambda', date: now },
  );
  return { headers, accessKeyId: credentials.accessKeyId };
}

/** POSTs the payload with exactly the signed headers; resolves to the status and the body's text. */
function post(
  url: URL,
  headers: Record<string, string>,
  payload: string,
): Promise<{ status: number; text: string }> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const failed = (err: Error) =>
      reject(
        new DrydockError(`cannot reach ${url.origin}: ${err.message}`, {
          code: 'SUBMIT_UNREACHABLE',
          cause: err,
        }),
      );
    const req = request(
      url,
      { method: 'POST', headers: { ...headers, 'user-agent': `drydock/${VERSION}` }, timeout: TIMEOUT_MS },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 500, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', failed);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS / 1000} s`)));
    req.on('error', failed);
    req.end(payload);
  });
}

/** The answer's JSON object, or its text under `message` when it is not JSON (a proxy's error page). */
function answerBody(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Not JSON: fall through and keep the text.
  }
  return { message: text.trim().slice(0, 500) };
}

/** What went wrong, from the answer's `message` (drydock) or `Message` (the function URL's own 403s). */
function refusal(
  status: number,
  body: Record<string, unknown>,
  call: SubmitCall,
  accessKeyId: string,
): string {
  const said = String(body.message ?? body.Message ?? '').trim();
  const code = typeof body.code === 'string' ? ` ${body.code}` : '';
  const issues = Array.isArray(body.issues) ? body.issues.map((i) => `\n  ${String(i)}`).join('') : '';
  if (status === 403) {
    return `the function URL refused the request (403${said ? `: ${said}` : ''}). The identity that signed it (access key ${accessKeyId}, region ${call.region}) needs lambda:InvokeFunctionUrl and lambda:InvokeFunction on the submit function: add its role ARN to the stack's submitPrincipals (-c submitPrincipals=<role ARN>) and deploy; a role from another account also needs both in its own policy. \`aws sts get-caller-identity\` shows which identity the CI has.`;
  }
  return `the pipeline refused the submission (${status}${code})${said ? `: ${said}` : ''}${issues}`;
}

/** Signs and sends one submission; prints the answer; a refusal throws after printing it (JSON only). */
export async function submit(call: SubmitCall, io: CliIo): Promise<number> {
  const payload = JSON.stringify(call.body);
  const { headers, accessKeyId } = await signedRequest(call, payload, io.now(), io.env);
  const { status, text } = await post(call.url, headers, payload);
  const body = answerBody(text);
  if (call.format === 'json') io.stdout(jsonText({ status, response: body, request: call.body }));
  if (status < 200 || status >= 300)
    throw new SubmitRefusedError(status, refusal(status, body, call, accessKeyId));
  if (call.format === 'text') {
    const { repository, commit, ref } = call.body;
    const count = typeof body.definitions === 'number' ? body.definitions : call.body.definitions.length;
    const what =
      status === 202
        ? `${body.message ?? 'accepted'}, ${count} definition${count === 1 ? '' : 's'}`
        : String(body.message ?? `answered ${status}`);
    io.stdout(`${repository}@${commit} (${ref}): ${what}\n`);
  }
  return EXIT.ok;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `drydock submit`: a team's CI asks the ops-owned AWS pipeline to gate and build definitions at a commit. */
export function registerSubmit(program: Command, io: CliIo, setExit: (code: number) => void): void {
  program
    .command('submit')
    .description(
      "Ask the AWS pipeline to gate and build definitions at a commit (from a team's CI; signed with AWS SigV4)",
    )
    .option('-u, --url <url>', "the stack's submit function URL (default: $DRYDOCK_SUBMIT_URL)")
    .option(
      '-r, --repository <repo>',
      'the repository: <host>/<owner>/<project>, like github.com/acme/payments',
    )
    .option('-c, --commit <sha>', 'the full commit id to build')
    .option('--ref <ref>', 'the branch it is on: refs/heads/<name> or <name>', 'refs/heads/main')
    .option(
      '-d, --definition <path>',
      'a Dockerfile path in the repository (repeatable, at least one)',
      collect,
    )
    .option('--region <region>', "the function's region (default: read from the URL, else $AWS_REGION)")
    .option('-f, --format <format>', 'text | json', 'text')
    .addHelpText(
      'after',
      `
Examples:
  drydock submit --url https://abc123.lambda-url.eu-west-1.on.aws/ \\
    --repository github.com/acme/payments --commit "$GITHUB_SHA" --ref "$GITHUB_REF" \\
    --definition services/api/Dockerfile --definition services/worker/Dockerfile
  DRYDOCK_SUBMIT_URL=https://abc123.lambda-url.eu-west-1.on.aws/ \\
    drydock submit -r gitlab.com/acme/web -c "$CI_COMMIT_SHA" --ref "$CI_COMMIT_BRANCH" -d Dockerfile --format json

Credentials come from the AWS SDK's chain: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY/AWS_SESSION_TOKEN,
AWS_PROFILE, web identity (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE), or the container/instance role.
The role must be named in the stack's submitPrincipals (lambda:InvokeFunctionUrl and lambda:InvokeFunction).
Exit codes: 0 the pipeline took the submission, 2 bad flags, no credentials, or the pipeline refused it.`,
    )
    .action(async (flags: SubmitFlags) => {
      setExit(await submit(parseSubmit(flags, io.env), io));
    });
}
