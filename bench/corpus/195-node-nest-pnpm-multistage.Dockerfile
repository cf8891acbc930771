ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app
RUN npm install -g pnpm@8
COPY package.json pnpm-lock.yaml .npmrc ./
RUN pnpm install --frozen-lockfile

FROM base AS build
COPY . .
RUN pnpm test
RUN pnpm run build

FROM node:${NODE_VERSION}-bookworm-slim AS release
WORKDIR /app
ENV NODE_ENV=production
COPY --chown=node:node --from=build /app/node_modules ./node_modules
COPY --chown=node:node --from=build /app/dist ./dist
COPY --chown=node:node --from=build /app/package.json ./
USER node
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=10s --start-period=60s CMD curl -fsS http://localhost:8080/healthz || exit 1
CMD ["node", "dist/main.js"]
