# Use an official image as a parent image
FROM node:20

RUN mkdir -p /usr/src/app

# Create app directory
WORKDIR /usr/src/app
ONBUILD ARG NODE_ENV

ONBUILD ENV NODE_ENV=$NODE_ENV
ONBUILD COPY package*.json /usr/src/app/

ONBUILD RUN npm install && npm cache clean --force

ONBUILD COPY . /usr/src/app

CMD ["npm", "start"]
