from node:20-bookworm-slim as deps

workdir /app

copy package*.json ./

run npm ci

from deps as builder

copy . .

run npm run build

run npm prune --omit=dev

from node:20-bookworm-slim as runtime
workdir /app

env NODE_ENV=production

copy --from=builder /app/node_modules ./node_modules
copy --from=builder /app/build ./build
copy --from=builder /app/package.json ./

user node
expose 3000

cmd ["npm", "start"]
