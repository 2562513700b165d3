# Build and run quota-api. Everything C is bundled (SQLite, libpq with a
# vendored OpenSSL for TLS), so the runtime image needs nothing but the binary
# and the CA certificates that verify PostgreSQL and the mail relay.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release -p api --bin quota-api

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/target/release/quota-api /usr/local/bin/quota-api
ENV BIND=0.0.0.0:8080 DATA_DIR=/data APP_ENV=production
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --retries=5 CMD curl -fsS http://127.0.0.1:8080/health/ready || exit 1
ENTRYPOINT ["quota-api"]
CMD ["serve"]
