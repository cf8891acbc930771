# syntax=docker/dockerfile:1
ARG RUBY_VERSION=3.2
# Common base
FROM ruby:${RUBY_VERSION}-alpine AS base

# Set the working directory
WORKDIR /rails

ENV RAILS_ENV="production" BUNDLE_DEPLOYMENT="1" BUNDLE_PATH="/usr/local/bundle" BUNDLE_WITHOUT="development:test"

# ---- Build ----
FROM base AS build
RUN apk update && \
  apk add git=2.43.0-r0 build-base=0.5-r3 yaml-dev postgresql-dev
COPY Gemfile Gemfile.lock ./
RUN bundle install && \
  rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache "${BUNDLE_PATH}"/ruby/*/bundler/gems/*/.git

# Bundle app source
COPY . .

RUN bundle exec bootsnap precompile app/ lib/
# Precompiling assets for production without requiring secret RAILS_MASTER_KEY
RUN SECRET_KEY_BASE_DUMMY=1 ./bin/rails assets:precompile

FROM base

RUN apk add --no-cache curl=8.5.0-r0 tzdata=2024a-r0

COPY --from=build "${BUNDLE_PATH}" "${BUNDLE_PATH}"

COPY --from=build /rails /rails

# Create a non-root user
RUN adduser -D -u 1000 -h /home/rails -s /bin/sh rails && \
  chown -R rails:rails db log storage tmp

# Drop privileges
USER 1000:1000

# Run the service
ENTRYPOINT ["/rails/bin/docker-entrypoint"]

# Expose the port the app runs on
EXPOSE 3000
CMD ["./bin/rails", "server"]
