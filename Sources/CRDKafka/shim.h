#ifndef PAYSTREAM_CRDKAFKA_SHIM_H
#define PAYSTREAM_CRDKAFKA_SHIM_H
// rd_kafka_producev is C-variadic and cannot be called from Swift; the Kafka layer uses
// rd_kafka_produceva with an array of rd_kafka_vu_t instead.
#include <librdkafka/rdkafka.h>
#endif
