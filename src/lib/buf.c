#include "lib/buf.h"

#include <string.h>

static bool buf_need(struct buf_reader *r, size_t n)
{
	if (r->err || n > r->len - r->off) {
		r->err = true;
		return false;
	}
	return true;
}

uint8_t buf_get_u8(struct buf_reader *r)
{
	if (!buf_need(r, 1))
		return 0;
	return r->p[r->off++];
}

uint16_t buf_get_u16(struct buf_reader *r)
{
	if (!buf_need(r, 2))
		return 0;
	uint16_t v = buf_load_u16(r->p + r->off);
	r->off += 2;
	return v;
}

uint32_t buf_get_u32(struct buf_reader *r)
{
	if (!buf_need(r, 4))
		return 0;
	uint32_t v = buf_load_u32(r->p + r->off);
	r->off += 4;
	return v;
}

void buf_get_bytes(struct buf_reader *r, void *dst, size_t n)
{
	if (!buf_need(r, n)) {
		memset(dst, 0, n);
		return;
	}
	if (n)
		memcpy(dst, r->p + r->off, n);
	r->off += n;
}

const uint8_t *buf_get_ptr(struct buf_reader *r, size_t n)
{
	if (!buf_need(r, n))
		return NULL;
	const uint8_t *p = r->p + r->off;
	r->off += n;
	return p;
}

void buf_get_sub(struct buf_reader *r, size_t n, struct buf_reader *sub)
{
	const uint8_t *p = buf_get_ptr(r, n);
	if (!p) {
		buf_reader_init(sub, NULL, 0);
		sub->err = true;
		return;
	}
	buf_reader_init(sub, p, n);
}

void buf_skip(struct buf_reader *r, size_t n)
{
	if (buf_need(r, n))
		r->off += n;
}

static bool buf_wneed(struct buf_writer *w, size_t n)
{
	if (w->err || n > w->cap - w->len) {
		w->err = true;
		return false;
	}
	return true;
}

void buf_put_u8(struct buf_writer *w, uint8_t v)
{
	if (buf_wneed(w, 1))
		w->p[w->len++] = v;
}

void buf_put_u16(struct buf_writer *w, uint16_t v)
{
	if (!buf_wneed(w, 2))
		return;
	w->p[w->len++] = (uint8_t)(v >> 8);
	w->p[w->len++] = (uint8_t)v;
}

void buf_put_u32(struct buf_writer *w, uint32_t v)
{
	if (!buf_wneed(w, 4))
		return;
	w->p[w->len++] = (uint8_t)(v >> 24);
	w->p[w->len++] = (uint8_t)(v >> 16);
	w->p[w->len++] = (uint8_t)(v >> 8);
	w->p[w->len++] = (uint8_t)v;
}

void buf_put_bytes(struct buf_writer *w, const void *src, size_t n)
{
	if (!buf_wneed(w, n))
		return;
	if (n)
		memcpy(w->p + w->len, src, n);
	w->len += n;
}

uint8_t *buf_put_space(struct buf_writer *w, size_t n)
{
	if (!buf_wneed(w, n))
		return NULL;
	uint8_t *p = w->p + w->len;
	w->len += n;
	return p;
}

void buf_patch_u16(struct buf_writer *w, size_t off, uint16_t v)
{
	if (w->err || off > w->len || w->len - off < 2) {
		w->err = true;
		return;
	}
	w->p[off] = (uint8_t)(v >> 8);
	w->p[off + 1] = (uint8_t)v;
}

void buf_patch_u8(struct buf_writer *w, size_t off, uint8_t v)
{
	if (w->err || off >= w->len) {
		w->err = true;
		return;
	}
	w->p[off] = v;
}
