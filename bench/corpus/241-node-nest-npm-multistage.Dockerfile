FROM node:18-alpine as dependencies
WORKDIR /app
COPY package*.json ./
RUN npm ci

FROM dependencies AS build
COPY . .
RUN npm run build

FROM node:18-alpine
WORKDIR /app
ENV NODE_ENV=production
COPY --chown=node:node --from=build /app/node_modules ./node_modules
COPY --chown=node:node --from=build /app/dist ./dist
COPY --chown=node:node --from=build /app/package.json ./
USER node
EXPOSE 4000
HEALTHCHECK --interval=1m --timeout=10s CMD wget -qO- http://127.0.0.1:4000/health || exit 1
CMD npm start
