/* The raw SQLite baseline for ops/bench-sink: the sink's rows, written through SQLite's C
 * API with one prepared statement per table in one transaction — the limit on this machine.
 *
 * usage: sqlite_baseline SOURCE_DB TARGET_DB
 * For every table of SOURCE (a store the sink wrote), creates the same table and indexes in
 * TARGET, loads all rows into memory (not timed), then times two passes of the sink's own
 * upsert shape (INSERT … ON CONFLICT(pk) DO UPDATE … WHERE excluded.updated_at >= updated_at):
 * first as fresh inserts, then as updates of the existing rows. Same pragmas as the sink.
 * Prints: rows insert_seconds update_seconds */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CHECK(rc, db, what) do { if ((rc) != SQLITE_OK && (rc) != SQLITE_DONE && (rc) != SQLITE_ROW) { \
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

static double pass(sqlite3 *db, Table *tables, int count) {
    double start = now();
    CHECK(sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0), db, "begin");
    for (int t = 0; t < count; t++) {
        sqlite3_stmt *stmt;
        CHECK(sqlite3_prepare_v2(db, tables[t].upsert, -1, &stmt, 0), db, tables[t].upsert);
        for (long r = 0; r < tables[t].rows; r++) {
            for (int c = 0; c < tables[t].columns; c++)
                sqlite3_bind_value(stmt, c + 1, tables[t].values[r * tables[t].columns + c]);
            CHECK(sqlite3_step(stmt), db, "upsert");
            sqlite3_reset(stmt);
        }
        sqlite3_finalize(stmt);
    }
    CHECK(sqlite3_exec(db, "COMMIT", 0, 0, 0), db, "commit");
    return now() - start;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: %s SOURCE_DB TARGET_DB\n", argv[0]); return 2; }
    sqlite3 *src, *dst;
    CHECK(sqlite3_open_v2(argv[1], &src, SQLITE_OPEN_READONLY, 0), src, "open source");
    remove(argv[2]);
    CHECK(sqlite3_open(argv[2], &dst), dst, "open target");
    sqlite3_exec(dst, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536;", 0, 0, 0);

    Table tables[64]; int count = 0; long total = 0;
    sqlite3_stmt *list;
    sqlite3_prepare_v2(src, "SELECT name, sql FROM sqlite_master WHERE type='table' AND name NOT LIKE '\\_paystream%' ESCAPE '\\' AND name NOT LIKE 'sqlite%'", -1, &list, 0);
    while (sqlite3_step(list) == SQLITE_ROW && count < 64) {
        Table *t = &tables[count++];
        t->name = strdup((const char *)sqlite3_column_text(list, 0));
        CHECK(sqlite3_exec(dst, (const char *)sqlite3_column_text(list, 1), 0, 0, 0), dst, "create table");
        /* Columns, primary key and the upsert statement, as the sink builds them. */
        char sql[1 << 16], cols[1 << 15] = "", params[1 << 14] = "", sets[1 << 15] = "", pk[4096] = "";
        snprintf(sql, sizeof sql, "SELECT name, pk FROM pragma_table_info('%s') ORDER BY cid", t->name);
        sqlite3_stmt *info; sqlite3_prepare_v2(src, sql, -1, &info, 0);
        t->columns = 0;
        while (sqlite3_step(info) == SQLITE_ROW) {
            char *q = quoted((const char *)sqlite3_column_text(info, 0));
            if (t->columns) { strcat(cols, ","); strcat(params, ","); }
            strcat(cols, q);
            char p[16]; snprintf(p, sizeof p, "?%d", t->columns + 1); strcat(params, p);
            if (sqlite3_column_int(info, 1)) { if (*pk) strcat(pk, ","); strcat(pk, q); }
            else { if (*sets) strcat(sets, ","); strcat(sets, q); strcat(sets, "=excluded."); strcat(sets, q); }
            free(q); t->columns++;
        }
        sqlite3_finalize(info);
        char *tq = quoted(t->name);
        size_t n = strlen(cols) + strlen(params) + strlen(sets) + strlen(pk) + 512;
        t->upsert = malloc(n);
        snprintf(t->upsert, n, "INSERT INTO %s (%s) VALUES (%s) ON CONFLICT (%s) DO UPDATE SET %s "
                 "WHERE excluded.updated_at IS NULL OR %s.updated_at IS NULL OR excluded.updated_at >= %s.updated_at",
                 tq, cols, params, pk, sets, tq, tq);
        /* Indexes. */
        snprintf(sql, sizeof sql, "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name='%s' AND sql IS NOT NULL", t->name);
        sqlite3_stmt *idx; sqlite3_prepare_v2(src, sql, -1, &idx, 0);
        while (sqlite3_step(idx) == SQLITE_ROW) sqlite3_exec(dst, (const char *)sqlite3_column_text(idx, 0), 0, 0, 0);
        sqlite3_finalize(idx);
        /* Rows, in memory. */
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", tq);
        sqlite3_stmt *cnt; sqlite3_prepare_v2(src, sql, -1, &cnt, 0); sqlite3_step(cnt);
        t->rows = sqlite3_column_int64(cnt, 0); sqlite3_finalize(cnt);
        t->values = malloc(sizeof(sqlite3_value *) * t->rows * t->columns);
        snprintf(sql, sizeof sql, "SELECT * FROM %s", tq);
        sqlite3_stmt *rows; sqlite3_prepare_v2(src, sql, -1, &rows, 0);
        long r = 0;
        while (sqlite3_step(rows) == SQLITE_ROW && r < t->rows) {
            for (int c = 0; c < t->columns; c++) t->values[r * t->columns + c] = sqlite3_value_dup(sqlite3_column_value(rows, c));
            r++;
        }
        t->rows = r; total += r;
        sqlite3_finalize(rows); free(tq);
    }
    sqlite3_finalize(list);
    double inserts = pass(dst, tables, count);
    double updates = pass(dst, tables, count);
    printf("%ld %.3f %.3f\n", total, inserts, updates);
    sqlite3_close(dst); sqlite3_close(src);
    return 0;
}
