FROM node:20-alpine3.19
WORKDIR /home/node/app
ENV NODE_ENV=production
COPY package.json yarn.lock ./
RUN yarn install --frozen-lockfile
COPY . .
RUN npm i -g typescript ts-node
RUN chmod -R 777 /home/node/app
USER node
EXPOSE 5000
CMD ["node", "dist/server.js"]
