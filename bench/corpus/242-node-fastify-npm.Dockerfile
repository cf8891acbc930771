arg NODE_VERSION=20

# Base image
from node:${NODE_VERSION}-slim
maintainer ops@example.com

workdir /home/node/app

env NODE_ENV=production

env DB_PASSWORD=changeme123

copy . .
run cd /home/node/app && npm install
run npm install -g pm2

run chmod -R 777 /home/node/app

# Expose the port the app runs on
expose 4000

healthcheck --interval=10s --timeout=5s --retries=5 \
    cmd curl -fsS http://localhost:4000/healthz || exit 1

# Default command
cmd ["node", "dist/index.js"]
