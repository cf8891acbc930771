import { expandFromText, PLATFORM_ARGS } from '../../dockerfile/image-uses.js';
import { defineRule } from '../rule.js';

// A piece kept as written that names an automatic platform ARG (`$BUILDPLATFORM`, `${TARGETARCH}`).
const AUTOMATIC = /^\$\{?([A-Z]+)/;

/**
 * Whether the platform follows the build's own platforms: every variable in it is one of BuildKit's automatic platform
 * ARGs and it names no OS or architecture itself (`$TARGETOS/$TARGETARCH` does, `linux/$TARGETARCH` fixes the OS).
 */
function followsBuild(platform: string, value: ReturnType<typeof expandFromText>): boolean {
  if (!value) return /BUILDPLATFORM|TARGETPLATFORM/.test(platform);
  let automatic = false;
  for (const s of value) {
    if (s.raw === undefined) {
      if (/[A-Za-z0-9]/.test(s.text)) return false;
      continue;
    }
    if (!PLATFORM_ARGS.has(AUTOMATIC.exec(s.raw)?.[1] ?? '')) return false;
    automatic = true;
  }
  // An empty value is the builder's default platform, as with no flag.
  return automatic || value.every((s) => s.raw === undefined && s.text.trim() === '');
}

export const fromPlatform = defineRule({
  id: 'DL3029',
  level: 'warning',
  title: 'Do not use --platform flag with FROM',
  rationale:
    'A fixed platform pins the stage to one architecture, so a multi-platform build quietly produces, or runs under emulation, the wrong one; use an automatic platform variable such as `$BUILDPLATFORM` or `$TARGETPLATFORM` instead. Global ARG defaults are substituted first (`ARG P=linux/amd64` + `--platform=${P}` is fixed), and so is a default given to an automatic variable itself; an ARG without a default is a platform chosen per build, which is still one platform.',
  check: (ctx) =>
    ctx.stages.flatMap((stage) => {
      if (stage.platform === undefined) return [];
      const value = expandFromText(ctx.model, stage.platform);
      if (followsBuild(stage.platform, value)) return [];
      const resolved = value?.map((s) => s.raw ?? s.text).join('') ?? stage.platform;
      const written = stage.platform;
      const shown =
        resolved === written ? `\`--platform=${written}\`` : `\`--platform=${written}\` (\`${resolved}\`)`;
      return [
        ctx.finding(
          stage.from,
          `Do not use --platform flag with FROM: ${shown} fixes this stage to one platform; use a variable such as $BUILDPLATFORM`,
        ),
      ];
    }),
});
