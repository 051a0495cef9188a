# Paystream services image: paystream-fetcher, paystream-sink, paystream-mock-api.
# Build: docker build -t paystream .
# librdkafka >= 2.8 is built from Debian's source by ops/setup, as on a developer machine.

FROM swift:6.1-bookworm AS build
WORKDIR /src
COPY ops ops
RUN PAYSTREAM_SETUP_BROKER=0 ops/setup
COPY Package.swift ./
COPY Sources Sources
COPY Tests Tests
RUN PKG_CONFIG_PATH=/src/.cache/librdkafka/lib/pkgconfig swift build -c release --static-swift-stdlib \
      --product paystream-fetcher && \
    PKG_CONFIG_PATH=/src/.cache/librdkafka/lib/pkgconfig swift build -c release --static-swift-stdlib \
      --product paystream-sink && \
    PKG_CONFIG_PATH=/src/.cache/librdkafka/lib/pkgconfig swift build -c release --static-swift-stdlib \
      --product paystream-mock-api && \
    mkdir -p /staging/bin /staging/lib && \
    cp "$(swift build -c release --show-bin-path)"/paystream-* /staging/bin/ && \
    cp -P /src/.cache/librdkafka/lib/librdkafka.so* /staging/lib/

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends \
      libsqlite3-0 libssl3 zlib1g liblz4-1 libzstd1 libsasl2-2 libcurl4 ca-certificates && \
    rm -rf /var/lib/apt/lists/* && \
    useradd --system --uid 10001 --home-dir /data paystream && mkdir -p /data && chown paystream /data
# The binaries' rpath names the build's librdkafka folder; keep the library there.
COPY --from=build /staging/lib/ /src/.cache/librdkafka/lib/
COPY --from=build /staging/bin/ /usr/local/bin/
COPY demo/pipeline.yaml /etc/paystream/pipeline.yaml
USER paystream
WORKDIR /data
ENTRYPOINT ["paystream-fetcher"]
