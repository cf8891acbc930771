FROM dart:stable as build
WORKDIR /app
COPY pubspec.* ./
RUN dart pub get
COPY . .
RUN dart compile exe bin/server.dart -o bin/server

# Use an official image as a parent image
FROM scratch
COPY --from=build /runtime/ /
COPY --from=build /app/bin/server /app/bin/

# Make the service port available outside the container
EXPOSE 8080
CMD ["/app/bin/server"]
