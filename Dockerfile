# Paystream services image: paystream-fetcher, paystream-sink, paystream-status and
# paystream-mock-api, run as a non-root user.
#   docker build -t paystream .
# Checked without a Docker engine by ops/check-deploy (hadolint and the rules there).

# Build: Swift 6.3 on Debian 12 (the mirrored packages declare tools version 6.2). No Swift
# image is based on Debian 13, whose librdkafka-dev is 2.8; bookworm's 2.0.2 cannot talk to
# every broker, so ops/setup builds librdkafka 2.8 from Debian's source, as on a developer
# machine.
FROM swift:6.3.1-bookworm AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
# ops/ alone first: the librdkafka layer stays cached until ops/ changes.
COPY ops ops
RUN PAYSTREAM_SETUP_BROKER=0 PAYSTREAM_SETUP_TOOLS=0 ops/setup
COPY Package.swift ./
COPY Sources Sources
COPY Tests Tests
# Installed binaries find librdkafka and the Swift runtime in ../lib beside them, not in
# this build folder. The runtime is linked dynamically and shipped once: four statically
# linked binaries would each carry Foundation and ICU (291 MB against 115 MB, measured).
ENV PKG_CONFIG_PATH=/src/.cache/librdkafka/lib/pkgconfig \
    PAYSTREAM_RDKAFKA_RPATH=\$ORIGIN/../lib
RUN swift build -c release --product paystream-fetcher && \
    swift build -c release --product paystream-sink && \
    swift build -c release --product paystream-status && \
    swift build -c release --product paystream-mock-api && \
    bin="$(swift build -c release --show-bin-path)" && \
    mkdir -p /staging/bin /staging/lib && \
    install -m 0755 "$bin/paystream-fetcher" "$bin/paystream-sink" "$bin/paystream-status" "$bin/paystream-mock-api" /staging/bin/ && \
    cp .cache/librdkafka/lib/librdkafka.so.1 /staging/lib/ && \
    ldd /staging/bin/* | awk '$3 ~ "^/usr/lib/swift/" { print $3 }' | sort -u | xargs -r cp -t /staging/lib/ && \
    strip /staging/bin/* /staging/lib/*.so*

# Run: Debian 12 slim with the C libraries the binaries, the Swift runtime and librdkafka
# load, curl for the health checks.
FROM debian:bookworm-slim
# hadolint ignore=DL3008
RUN apt-get update && \
    apt-get install -y --no-install-recommends \
      ca-certificates curl libcurl4 liblz4-1 libsasl2-2 libsqlite3-0 libssl3 libstdc++6 libzstd1 zlib1g && \
    rm -rf /var/lib/apt/lists/* && \
    useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin paystream && \
    mkdir -p /data && chown paystream /data
COPY --from=build /staging/lib/ /usr/local/lib/
COPY --from=build /staging/bin/paystream-fetcher /staging/bin/paystream-sink /staging/bin/paystream-status /staging/bin/paystream-mock-api /usr/local/bin/
COPY demo/pipeline.yaml demo/pipeline-incremental.yaml /etc/paystream/
USER 10001
WORKDIR /data
ENTRYPOINT ["paystream-fetcher"]
CMD ["--help"]
