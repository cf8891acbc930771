import { defineRule } from '../rule.js';

// BuildKit's SecretsUsedInArgOrEnv word list: a name part (between underscores) that marks a secret.
const SECRET_WORD = /(?:^|_)(?:apikey|auth|credentials?|key|password|pword|passwd|secret|token)(?:_|$)/i;
// Parts that say the variable holds where a secret is or a public part of it, not the secret itself.
const NOT_SECRET_WORD = /(?:^|_)(?:public|pub|file|path|dir|url|uri|server|host|gpg|pgp|fingerprint)(?:_|$)/i;
// Values that are plainly switches or file locations, not secrets (`ENV AUTH_ENABLED=true`,
// `ENV GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/sa.json`).
const NOT_SECRET_VALUE = /^(true|false|yes|no|on|off|0|1|\/.*)$/i;

export const secretInArgEnv = defineRule({
  id: 'DL3064',
  level: 'warning',
  title: 'Do not pass sensitive data through ARG or ENV',
  rationale:
    'ARG and ENV values are stored in the image config and history, readable by anyone who can pull the image; pass secrets with `RUN --mount=type=secret` instead.',
  check: (ctx) =>
    ctx.of('ARG', 'ENV').flatMap((inst) =>
      inst.properties.flatMap((p) => {
        if (!SECRET_WORD.test(p.name) || NOT_SECRET_WORD.test(p.name)) return [];
        if (inst.keyword === 'ENV' && NOT_SECRET_VALUE.test((p.value ?? '').trim())) return [];
        return [
          ctx.finding(
            p.loc,
            `Do not pass sensitive data through ARG or ENV: \`${p.name}\` looks like a secret and its value is kept in the image history; use RUN --mount=type=secret`,
          ),
        ];
      }),
    ),
});
