/* The raw SQLite baseline for ops/bench-sink: exactly what the sink writes, through
 * SQLite's C API with everything decoded in memory beforehand — the limit the sink works
 * against on this machine.
 *
 * usage: sqlite_baseline SOURCE_DB TARGET_DB BATCH_ROWS
 * SOURCE is a store the sink wrote. TARGET gets the same schema (every table and index as
 * SOURCE has them, the same page size and pragmas as RecordStore) and the same rows: each table's rows
 * in the sink's write order (rowid order), in transactions of BATCH_ROWS rows taken from
 * every table in turn, as the sink's batches hold every topic. Each transaction also
 * upserts the offsets table, one row per partition, as the sink does. The upsert is the
 * sink's own statement (newest-wins on _paystream_cursor). Two timed passes: fresh
 * inserts, then the same rows again (a replay).
 * Prints: rows insert_seconds update_seconds */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(rc, db, what) do { int rc_ = (rc); if (rc_ != SQLITE_OK && rc_ != SQLITE_DONE && rc_ != SQLITE_ROW) { \
    fprintf(stderr, "%s: %s\n", what, sqlite3_errmsg(db)); exit(1); } } while (0)

typedef struct { char *name; char *upsert; int columns; sqlite3_value **values; long rows; } Table;

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

static char *quoted(const char *s) {
    char *out = malloc(strlen(s) * 2 + 3), *o = out;
    *o++ = '"';
    for (; *s; s++) { if (*s == '"') *o++ = '"'; *o++ = *s; }
    *o++ = '"'; *o = 0;
    return out;
}

static void append(char **buffer, size_t *size, const char *text) {
    size_t need = strlen(*buffer) + strlen(text) + 1;
    if (need > *size) { *size = need * 2; *buffer = realloc(*buffer, *size); }
    strcat(*buffer, text);
}

/* The sink's upsert for a table with these columns (TableWriter.upsert()). */
static char *upsert_sql(sqlite3 *src, const char *table, int *columns) {
    size_t cs = 256, ps = 256, ss = 256, ks = 256;
    char *cols = calloc(cs, 1), *params = calloc(ps, 1), *sets = calloc(ss, 1), *pk = calloc(ks, 1);
    char sql[1024];
    snprintf(sql, sizeof sql, "SELECT name, pk FROM pragma_table_info(%s) ORDER BY cid", sqlite3_mprintf("%Q", table));
    sqlite3_stmt *info; CHECK(sqlite3_prepare_v2(src, sql, -1, &info, 0), src, sql);
    *columns = 0;
    while (sqlite3_step(info) == SQLITE_ROW) {
        char *q = quoted((const char *)sqlite3_column_text(info, 0)), p[16];
        if (*columns) { append(&cols, &cs, ", "); append(&params, &ps, ", "); }
        append(&cols, &cs, q);
        snprintf(p, sizeof p, "?%d", ++*columns); append(&params, &ps, p);
        if (sqlite3_column_int(info, 1)) { if (*pk) append(&pk, &ks, ", "); append(&pk, &ks, q); }
        else { if (*sets) append(&sets, &ss, ", "); append(&sets, &ss, q); append(&sets, &ss, " = excluded."); append(&sets, &ss, q); }
        free(q);
    }
    sqlite3_finalize(info);
    char *t = quoted(table), *k = "\"_paystream_cursor\"";
    size_t n = strlen(cols) + strlen(params) + strlen(sets) + strlen(pk) + 4 * strlen(t) + 512;
    char *out = malloc(n);
    snprintf(out, n, "INSERT INTO %s (%s) VALUES (%s)\nON CONFLICT (%s) DO UPDATE SET %s\n"
             "WHERE %s.%s IS NULL OR excluded.%s > %s.%s OR (excluded.%s = %s.%s AND excluded.\"_paystream_document\" IS NOT %s.\"_paystream_document\")",
             t, cols, params, pk, sets, t, k, k, t, k, k, t, k, t);
    free(cols); free(params); free(sets); free(pk); free(t);
    return out;
}

static long partitions_of(sqlite3 *src) {
    sqlite3_stmt *s; CHECK(sqlite3_prepare_v2(src, "SELECT count(*) FROM _paystream_offsets", -1, &s, 0), src, "offsets");
    sqlite3_step(s); long n = sqlite3_column_int64(s, 0); sqlite3_finalize(s);
    return n;
}

static double pass(sqlite3 *db, Table *tables, int count, long batch, long partitions, long *next_offset) {
    sqlite3_stmt *stmt[64], *offsets;
    for (int t = 0; t < count; t++) CHECK(sqlite3_prepare_v3(db, tables[t].upsert, -1, SQLITE_PREPARE_PERSISTENT, &stmt[t], 0), db, tables[t].upsert);
    CHECK(sqlite3_prepare_v2(db, "INSERT INTO _paystream_offsets (topic, partition, next_offset) VALUES ('t', ?1, ?2) "
                                 "ON CONFLICT (topic, partition) DO UPDATE SET next_offset = max(next_offset, excluded.next_offset)", -1, &offsets, 0), db, "offsets");
    long position[64] = {0}, share = batch / count > 0 ? batch / count : 1;
    double start = now();
    for (int more = 1; more;) {
        more = 0;
        CHECK(sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0), db, "begin");
        for (int t = 0; t < count; t++) {
            Table *tb = &tables[t];
            long end = position[t] + share < tb->rows ? position[t] + share : tb->rows;
            for (; position[t] < end; position[t]++) {
                for (int c = 0; c < tb->columns; c++) sqlite3_bind_value(stmt[t], c + 1, tb->values[position[t] * tb->columns + c]);
                CHECK(sqlite3_step(stmt[t]), db, "upsert");
                sqlite3_reset(stmt[t]);
            }
            if (position[t] < tb->rows) more = 1;
        }
        *next_offset += batch / (partitions > 0 ? partitions : 1);
        for (long p = 0; p < partitions; p++) {
            sqlite3_bind_int64(offsets, 1, p); sqlite3_bind_int64(offsets, 2, *next_offset);
            CHECK(sqlite3_step(offsets), db, "offsets"); sqlite3_reset(offsets);
        }
        CHECK(sqlite3_exec(db, "COMMIT", 0, 0, 0), db, "commit");
    }
    double seconds = now() - start;
    for (int t = 0; t < count; t++) sqlite3_finalize(stmt[t]);
    sqlite3_finalize(offsets);
    return seconds;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s SOURCE_DB TARGET_DB BATCH_ROWS\n", argv[0]); return 2; }
    long batch = atol(argv[3]);
    sqlite3 *src, *dst;
    CHECK(sqlite3_open_v2(argv[1], &src, SQLITE_OPEN_READONLY, 0), src, "open source");
    char path[4096];
    remove(argv[2]);
    snprintf(path, sizeof path, "%s-wal", argv[2]); remove(path);
    snprintf(path, sizeof path, "%s-shm", argv[2]); remove(path);
    CHECK(sqlite3_open(argv[2], &dst), dst, "open target");

    /* The sink's pragmas (RecordStore.init) and the source's page size. */
    sqlite3_stmt *ps; CHECK(sqlite3_prepare_v2(src, "PRAGMA page_size", -1, &ps, 0), src, "page size"); sqlite3_step(ps);
    int page_size = sqlite3_column_int(ps, 0);
    char pragmas[512];
    snprintf(pragmas, sizeof pragmas, "PRAGMA page_size = %d; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
             "PRAGMA cache_size = -65536; PRAGMA wal_autocheckpoint = %d;", page_size, 80 * 1048576 / page_size);
    sqlite3_finalize(ps);
    CHECK(sqlite3_exec(dst, pragmas, 0, 0, 0), dst, "pragmas");

    /* The same schema: every table and index, as the source has them. */
    sqlite3_stmt *schema;
    CHECK(sqlite3_prepare_v2(src, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite%' ORDER BY type = 'index', rowid", -1, &schema, 0), src, "schema");
    while (sqlite3_step(schema) == SQLITE_ROW) CHECK(sqlite3_exec(dst, (const char *)sqlite3_column_text(schema, 0), 0, 0, 0), dst, "create");
    sqlite3_finalize(schema);

    /* Every resource table's rows, decoded into memory (not timed). */
    Table tables[64]; int count = 0; long total = 0;
    sqlite3_stmt *list;
    CHECK(sqlite3_prepare_v2(src, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '\\_paystream%' ESCAPE '\\' "
                                  "AND name NOT LIKE 'sqlite%' ORDER BY name", -1, &list, 0), src, "tables");
    while (sqlite3_step(list) == SQLITE_ROW && count < 64) {
        Table *t = &tables[count++];
        t->name = strdup((const char *)sqlite3_column_text(list, 0));
        t->upsert = upsert_sql(src, t->name, &t->columns);
        char *tq = quoted(t->name), sql[1024];
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tq);
        sqlite3_stmt *cnt; CHECK(sqlite3_prepare_v2(src, sql, -1, &cnt, 0), src, sql); sqlite3_step(cnt);
        t->rows = sqlite3_column_int64(cnt, 0); sqlite3_finalize(cnt);
        t->values = malloc(sizeof(sqlite3_value *) * (t->rows + 1) * t->columns);
        snprintf(sql, sizeof sql, "SELECT * FROM %s ORDER BY rowid", tq);
        sqlite3_stmt *rows; CHECK(sqlite3_prepare_v2(src, sql, -1, &rows, 0), src, sql);
        long r = 0;
        while (sqlite3_step(rows) == SQLITE_ROW && r < t->rows) {
            for (int c = 0; c < t->columns; c++) t->values[r * t->columns + c] = sqlite3_value_dup(sqlite3_column_value(rows, c));
            r++;
        }
        t->rows = r; total += r;
        sqlite3_finalize(rows); free(tq);
    }
    sqlite3_finalize(list);
    long partitions = partitions_of(src), next_offset = 0;
    double inserts = pass(dst, tables, count, batch, partitions, &next_offset);
    double updates = pass(dst, tables, count, batch, partitions, &next_offset);
    printf("%ld %.3f %.3f\n", total, inserts, updates);
    sqlite3_close(dst); sqlite3_close(src);
    return 0;
}
