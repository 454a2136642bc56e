/* Bounded byte reader and writer with sticky errors.
 *
 * Wire codecs read only through buf_reader: every read is bounds-checked,
 * a failed read sets a sticky error and returns zeroes, so a group of reads
 * is checked once with buf_ok() afterwards.  buf_writer does the same for
 * output: writing past the capacity sets the error and writes nothing.
 * Pure: no allocation, no I/O.
 */
#ifndef ANYCASTD_LIB_BUF_H
#define ANYCASTD_LIB_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf_reader {
	const uint8_t *p; /* borrowed */
	size_t len;
	size_t off;
	bool err;
};

struct buf_writer {
	uint8_t *p; /* borrowed */
	size_t cap;
	size_t len;
	bool err;
};

/* A borrowed run of bytes inside some other buffer. */
struct buf_view {
	const uint8_t *p;
	size_t len;
};

static inline void buf_reader_init(struct buf_reader *r, const uint8_t *p, size_t len)
{
	r->p = p;
	r->len = len;
	r->off = 0;
	r->err = false;
}

static inline bool buf_ok(const struct buf_reader *r) { return !r->err; }
static inline size_t buf_left(const struct buf_reader *r) { return r->err ? 0 : r->len - r->off; }

/* Each getter returns 0 (or does nothing) and sets the sticky error when
 * fewer bytes remain than asked for. */
uint8_t buf_get_u8(struct buf_reader *r);
uint16_t buf_get_u16(struct buf_reader *r);
uint32_t buf_get_u32(struct buf_reader *r);
void buf_get_bytes(struct buf_reader *r, void *dst, size_t n);
/* Returns a pointer to the next n bytes (borrowed) and advances, or NULL. */
const uint8_t *buf_get_ptr(struct buf_reader *r, size_t n);
/* Splits off the next n bytes as a reader of their own; on overrun the
 * parent's error is set and *sub is an empty reader with its error set. */
void buf_get_sub(struct buf_reader *r, size_t n, struct buf_reader *sub);
void buf_skip(struct buf_reader *r, size_t n);

static inline void buf_writer_init(struct buf_writer *w, uint8_t *p, size_t cap)
{
	w->p = p;
	w->cap = cap;
	w->len = 0;
	w->err = false;
}

static inline bool buf_wok(const struct buf_writer *w) { return !w->err; }
static inline size_t buf_room(const struct buf_writer *w) { return w->err ? 0 : w->cap - w->len; }

void buf_put_u8(struct buf_writer *w, uint8_t v);
void buf_put_u16(struct buf_writer *w, uint16_t v);
void buf_put_u32(struct buf_writer *w, uint32_t v);
void buf_put_bytes(struct buf_writer *w, const void *src, size_t n);
/* Claims the next n octets for the caller to fill and returns them, or
 * NULL (and the sticky error) if they do not fit. */
uint8_t *buf_put_space(struct buf_writer *w, size_t n);
/* Overwrites a u16 already written at offset off (used for lengths known
 * only afterwards); sets the error if off+2 is beyond what was written. */
void buf_patch_u16(struct buf_writer *w, size_t off, uint16_t v);
void buf_patch_u8(struct buf_writer *w, size_t off, uint8_t v);

static inline uint16_t buf_load_u16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }
static inline uint32_t buf_load_u32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

#endif
