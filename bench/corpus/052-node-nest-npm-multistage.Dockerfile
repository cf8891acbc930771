arg NODE_VERSION=20.11.1

# Install dependencies only when needed
from node:${NODE_VERSION}-alpine3.19 as dependencies
workdir /app

# Copy the requirements file into the container
copy package*.json ./

# Fetch dependencies (cached unless the manifests change)
run npm ci

from dependencies as build
# Copy the application source
copy . .

# Compile
run npm run build

# Final image
from gcr.io/distroless/nodejs20-debian12 as release

# Working directory inside the container
workdir /app
# Production settings
env NODE_ENV=production
copy --from=build /app/node_modules ./node_modules
copy --from=build /app/dist ./dist
# Dependency manifests
copy --from=build /app/package.json ./

# Make the service port available outside the container
expose 3000

# Start the application
cmd ["dist/main.js"]
