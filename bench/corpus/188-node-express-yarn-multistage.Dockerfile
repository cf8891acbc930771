FROM node:22-bookworm-slim AS dependencies

WORKDIR /app

COPY package.json yarn.lock ./

RUN yarn install --frozen-lockfile

FROM dependencies AS builder

COPY . .

RUN yarn build

FROM node:22-bookworm-slim AS prod

WORKDIR /app

ENV NODE_ENV=production

COPY --chown=node:node --from=builder /app/node_modules ./node_modules
COPY --chown=node:node --from=builder /app/dist ./dist
COPY --chown=node:node --from=builder /app/package.json ./

USER node

EXPOSE 3000

CMD ["node", "server.js"]
