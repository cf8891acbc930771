# syntax=docker/dockerfile:1.6
FROM node:20 AS deps
WORKDIR /app
COPY package.json yarn.lock ./
RUN --mount=type=cache,target=/usr/local/share/.cache/yarn \
    yarn install --frozen-lockfile

FROM deps AS build
COPY . .
RUN yarn build
RUN yarn install --production --ignore-scripts --prefer-offline

FROM node:20 AS prod
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./
USER node
EXPOSE 3000
HEALTHCHECK --interval=1m --timeout=5s --start-period=20s --retries=3 \
    CMD curl -fsS http://localhost:3000/healthz || exit 1
CMD ["node", "index.js"]
