ARG RUBY_VERSION=3.1
FROM ruby:${RUBY_VERSION}-slim-bookworm AS base
# Set the working directory
WORKDIR /app
ENV RACK_ENV=production \
  BUNDLE_DEPLOYMENT="1" \
  BUNDLE_PATH="/usr/local/bundle" \
  BUNDLE_WITHOUT="development:test"

FROM base AS build
RUN apt-get update -qq && \
  apt-get install --no-install-recommends -y libvips libpq-dev git build-essential pkg-config && \
  rm -rf /var/lib/apt/lists /var/cache/apt/archives
COPY Gemfile Gemfile.lock ./
RUN bundle install && \
  rm -rf ~/.bundle/ "${BUNDLE_PATH}"/ruby/*/cache "${BUNDLE_PATH}"/ruby/*/bundler/gems/*/.git
COPY . .

# Runtime image
FROM base
RUN apt-get update -qq && \
  apt-get install --no-install-recommends -y curl libjemalloc2 && \
  rm -rf /var/lib/apt/lists /var/cache/apt/archives
COPY --from=build "${BUNDLE_PATH}" "${BUNDLE_PATH}"
COPY --from=build /app /app
EXPOSE 9292
CMD ["bundle", "exec", "puma", "-C", "config/puma.rb"]
