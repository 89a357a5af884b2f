/* text.h: text rules for people's data. Owns Turkish folding for search (ICU), the Turkish collation
 * sort key for ordering names, email and phone normalisation, and a name-similarity measure for
 * finding duplicates. All input and output is UTF-8. */
#ifndef BIREBIR_TEXT_H
#define BIREBIR_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "birebir/buf.h"
#include "birebir/error.h"

/* Appends to out the search form of s (len bytes, or up to its NUL when len is (size_t)-1):
 * lowercased by Turkish rules (I -> ı, İ -> i), diacritics stripped from Latin letters, ı -> i.
 * "IŞIK", "ışık", "ISIK" and "isik" all fold to "isik"; "İSTANBUL" to "istanbul". Letters of other
 * scripts are lowercased and keep their marks. Invalid UTF-8 becomes U+FFFD. ASCII takes a fast path.
 * BB_ENOMEM or BB_ELIMIT (out's maximum) on failure. */
int bb_text_fold(const char *s, size_t len, bb_buf *out) BB_MUST_USE;

/* Normalises an email address into out (size >= 2): trimmed and lowercased. BB_EINVAL (err says
 * why) when it is not one address with text on both sides of a single '@' and no spaces, or does not
 * fit in out. */
int bb_text_email_norm(const char *s, char *out, size_t size, bb_error *err) BB_MUST_USE;

/* Normalises a phone number into E.164 form in out (size >= 17): "+" and digits. Turkish by default:
 * "0532 123 45 67", "+90 532 1234567", "90 532 123 45 67" and "5321234567" give "+905321234567";
 * "00" or "+" starts an international number. Spaces, dots, dashes, slashes and parentheses are
 * ignored. BB_EINVAL when something else is there or the digits cannot be a number. */
int bb_text_phone_norm(const char *s, char *out, size_t size, bb_error *err) BB_MUST_USE;

/* Jaro-Winkler similarity (0 unrelated .. 1 equal) of two strings, compared by code point. Callers
 * pass folded names (bb_text_fold), so "Ayşe Işık" and "AYSE ISIK" score 1. Strings longer than 256
 * code points are compared on their first 256. */
double bb_text_similarity(const char *a, const char *b);

/* A collator for ordering text by a locale's rules ("tr": ç after c, ğ after g, ı before i, ...).
 * Create with bb_text_collator_new, free with bb_text_collator_free (accepts NULL). */
typedef struct bb_text_collator bb_text_collator;
int bb_text_collator_new(const char *locale, bb_text_collator **out, bb_error *err) BB_MUST_USE;
void bb_text_collator_free(bb_text_collator *c);

/* Appends to out a binary sort key of the n strings (NULL counts as empty), ICU's merged key: memcmp
 * of two keys orders by the base letters of parts[0], then of parts[1], ..., and then by the finer
 * differences (accents, case), which is how a phone book orders (last name, first name). */
int bb_text_sort_key(bb_text_collator *c, const char *const *parts, size_t n,
                     bb_buf *out) BB_MUST_USE;

#endif
