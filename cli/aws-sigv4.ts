// The AWS SDK pieces `drydock submit` signs with. Commands import this module lazily, so the CLI's startup does not
// load the SDK; the imports here are static so the bundler gives these CommonJS packages their named exports.
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

/** AWS credentials as the signer uses them. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/**
 * Credentials from the AWS SDK's default chain: environment variables, shared config and credentials files
 * (`AWS_PROFILE`), web identity, the container or instance role. The chain reads `process.env`. Web identity and
 * assumed-role profiles call STS in `region` unless the configuration names another.
 */
export function awsCredentials(region: string): Promise<AwsCredentials> {
  return defaultProvider({ parentClientConfig: { region } })();
}

/** The headers of an HTTP request with AWS SigV4 added (authorization, x-amz-date, payload hash, session token). */
export async function signedHeaders(
  request: {
    readonly method: string;
    readonly url: URL;
    readonly headers: Readonly<Record<string, string>>;
    readonly body: string;
  },
  signing: { credentials: AwsCredentials; region: string; service: string; date: Date },
): Promise<Record<string, string>> {
  const { url } = request;
  const signer = new SignatureV4({
    credentials: signing.credentials,
    region: signing.region,
    service: signing.service,
    sha256: Sha256,
  });
  const signed = await signer.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { host: url.host, ...request.headers },
      body: request.body,
    },
    { signingDate: signing.date },
  );
  return signed.headers;
}
