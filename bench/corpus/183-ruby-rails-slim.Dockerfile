ARG RUBY_VERSION=3.3.0
# Common base
FROM ruby:${RUBY_VERSION}-slim AS base

# Working directory inside the container
WORKDIR /rails

# Environment
ENV RAILS_ENV="production" \
    BUNDLE_DEPLOYMENT="1" \
    BUNDLE_PATH="/usr/local/bundle" \
    BUNDLE_WITHOUT="development:test"

# Builder image
FROM base AS build

# Install build dependencies
RUN apt-get update -qq \
    && apt-get install --no-install-recommends -y libyaml-dev build-essential pkg-config libpq-dev \
    && rm -rf /var/lib/apt/lists /var/cache/apt/archives

# Copy the requirements file into the container
COPY Gemfile Gemfile.lock ./

RUN bundle install \
    && rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache "${BUNDLE_PATH}"/ruby/*/bundler/gems/*/.git

# Copy the application source
COPY . .

RUN bundle exec bootsnap precompile app/ lib/
# Precompiling assets for production without requiring secret RAILS_MASTER_KEY
RUN SECRET_KEY_BASE_DUMMY=1 ./bin/rails assets:precompile

# Base image
FROM base

# Install required packages
RUN apt-get update -qq \
    && apt-get install --no-install-recommends -y postgresql-client libvips \
    && rm -rf /var/lib/apt/lists /var/cache/apt/archives

COPY --from=build "${BUNDLE_PATH}" "${BUNDLE_PATH}"
COPY --from=build /rails /rails

# Create a non-root user
RUN useradd rails --uid 1000 --create-home --shell /bin/bash \
    && chown -R rails:rails db log storage tmp

# Run as non-root user
USER 1000:1000

# Start the application
ENTRYPOINT ["/rails/bin/docker-entrypoint"]

# Make the service port available outside the container
EXPOSE 3000

# Run the app
CMD ["./bin/rails", "server"]
