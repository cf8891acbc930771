ARG RUBY_VERSION=3.2.3
FROM docker.io/library/ruby:${RUBY_VERSION}-alpine AS base
WORKDIR /app
ENV RACK_ENV=production
ENV BUNDLE_DEPLOYMENT="1"
ENV BUNDLE_PATH="/usr/local/bundle"
ENV BUNDLE_WITHOUT="development:test"

FROM base AS build
RUN apk add --no-cache build-base postgresql-dev git
COPY Gemfile Gemfile.lock ./
RUN bundle install \
    && rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache "${BUNDLE_PATH}"/ruby/*/bundler/gems/*/.git
COPY . .

FROM base
RUN apk add --no-cache tzdata curl vips
COPY --from=build "${BUNDLE_PATH}" "${BUNDLE_PATH}"
COPY --from=build /app /app
RUN adduser -D -u 1000 -h /home/app -s /bin/sh app \
    && chown -R app:app /app
USER app
CMD ["bundle", "exec", "sidekiq", "-C", "config/sidekiq.yml"]
