FROM node:latest AS dependencies

# Set the working directory
WORKDIR /app
COPY package.json yarn.lock ./

# Fetch dependencies (cached unless the manifests change)
RUN yarn install

# ---- Build ----
FROM dependencies AS build

# Copy the rest of the code
COPY . .
RUN yarn test
# Build the application
RUN yarn build

# Fetch dependencies (cached unless the manifests change)
RUN yarn install --production --ignore-scripts --prefer-offline

# ---- Release ----
FROM node:latest AS production
# Set the working directory
WORKDIR /app

# Environment
ENV NODE_ENV=production
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/build ./build

# Copy the requirements file into the container
COPY --from=build /app/package.json ./
# Expose the port the app runs on
EXPOSE 3000

# Run the service
CMD ["node", "build/index.js"]
