FROM ruby:3.2-alpine AS build

RUN apk add --no-cache build-base git

WORKDIR /site

COPY Gemfile Gemfile.lock ./

RUN bundle config set --local without 'development test' && bundle install --jobs 4

COPY . .
ENV JEKYLL_ENV=production

RUN bundle exec jekyll build --destination /site/_site

FROM nginx:alpine

COPY --from=build /site/_site /usr/share/nginx/html

EXPOSE 80
