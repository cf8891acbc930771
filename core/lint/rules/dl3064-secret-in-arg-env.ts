import { defineRule } from '../rule.js';

// BuildKit's SecretsUsedInArgOrEnv word list: a name part (between underscores) that marks a secret; Jenkins'
// credentials() binding adds `X_PSW` (the password; `X_USR`, the user name, is not a secret).
const SECRET_WORD = /(?:^|_)(?:apikey|auth|credentials?|key|password|pword|passwd|psw|secret|token)(?:_|$)/i;
// Parts that say the variable holds where a secret is, a public part of it, or a setting about it, not the secret
// itself (`DOCKER_AUTH_VERSION`, `PASSWORD_MIN_LENGTH`, `TOKEN_TTL`).
const NOT_SECRET_WORD =
  /(?:^|_)(?:public|pub|file|path|dir|url|uri|server|host|gpg|pgp|fingerprint|version|length|len|ttl|timeout|expiry|header|type|mode|enabled)(?:_|$)/i;
// git's numbered config variables name a setting (`GIT_CONFIG_KEY_0=http.sslVerify`).
const GIT_CONFIG_PAIR = /^GIT_CONFIG_(?:KEY|VALUE)_\d+$/i;
// Values that are plainly switches or file locations, not secrets (`ENV AUTH_ENABLED=true`,
// `ENV GOOGLE_APPLICATION_CREDENTIALS=/var/secrets/sa.json`), or nothing at all.
const NOT_SECRET_VALUE = /^(true|false|yes|no|on|off|0|1|\/.*|\.{1,2}\/.*|~\/.*|)$/i;

export const secretInArgEnv = defineRule({
  id: 'DL3064',
  level: 'warning',
  title: 'Do not pass sensitive data through ARG or ENV',
  rationale:
    'ARG and ENV values are stored in the image config and history, readable by anyone who can pull the image; pass secrets with `RUN --mount=type=secret` instead. Judged by the name, as BuildKit and hadolint do (an ARG without a default too); names that describe a secret rather than hold it (`*_FILE`, `*_URL`, `*_VERSION`, `*_LENGTH`) and ENV values that are switches or paths are left out.',
  check: (ctx) =>
    ctx.of('ARG', 'ENV').flatMap((inst) =>
      inst.properties.flatMap((p) => {
        if (!SECRET_WORD.test(p.name) || NOT_SECRET_WORD.test(p.name) || GIT_CONFIG_PAIR.test(p.name))
          return [];
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
