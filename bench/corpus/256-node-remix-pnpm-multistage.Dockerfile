ARG NODE_VERSION=20

# ---- Dependencies ----
FROM node:${NODE_VERSION}-bookworm-slim as dependencies
WORKDIR /app
RUN corepack enable

# Dependency manifests
COPY package.json pnpm-lock.yaml .npmrc ./
RUN pnpm install --frozen-lockfile

# ---- Build ----
FROM dependencies AS build

# Copy the current directory contents into the container
COPY . .
RUN pnpm run build

FROM node:${NODE_VERSION}-bookworm-slim AS production

# Working directory inside the container
WORKDIR /app
# Runtime configuration
ENV NODE_ENV=production
COPY --chown=node:node --from=build /app/node_modules ./node_modules
COPY --chown=node:node --from=build /app/build ./build

# Copy the requirements file into the container
COPY --chown=node:node --from=build /app/package.json ./
USER node

# Document the listening port
EXPOSE 3000
# Default command
CMD ["pnpm", "run", "start:prod"]
