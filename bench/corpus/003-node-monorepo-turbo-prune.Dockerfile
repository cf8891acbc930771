# Build a single app out of the pnpm/turbo monorepo.
# docker build --build-arg APP=web -f apps/Dockerfile .
ARG NODE_VERSION=20.12.2
ARG APP=web

FROM node:${NODE_VERSION}-alpine AS base
RUN apk add --no-cache libc6-compat
RUN corepack enable && corepack prepare pnpm@8.15.6 --activate
ENV PNPM_HOME=/pnpm
ENV PATH=$PNPM_HOME:$PATH

FROM base AS pruner
ARG APP
WORKDIR /repo
RUN pnpm add --global turbo@1.13.2
COPY . .
RUN turbo prune --scope=${APP} --docker

FROM base AS installer
ARG APP
WORKDIR /repo
# First install the dependencies (as they change less often)
COPY .gitignore .gitignore
COPY --from=pruner /repo/out/json/ .
COPY --from=pruner /repo/out/pnpm-lock.yaml ./pnpm-lock.yaml
RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --frozen-lockfile

# Build the project and its dependencies
COPY --from=pruner /repo/out/full/ .
COPY turbo.json turbo.json
RUN pnpm turbo run build --filter=${APP}...

FROM base AS runner
ARG APP
WORKDIR /app

RUN addgroup --system --gid 1001 nodejs \
 && adduser --system --uid 1001 nextjs
USER nextjs

COPY --from=installer --chown=nextjs:nodejs /repo/apps/${APP}/.next/standalone ./
COPY --from=installer --chown=nextjs:nodejs /repo/apps/${APP}/.next/static ./apps/${APP}/.next/static
COPY --from=installer --chown=nextjs:nodejs /repo/apps/${APP}/public ./apps/${APP}/public

ENV NODE_ENV=production PORT=3000
EXPOSE 3000
# ARG values are not expanded in exec form, hence the shell form here
CMD node apps/${APP}/server.js
