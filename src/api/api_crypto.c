/* api_crypto.c: the secrets of the server: random bytes (getrandom), base64url, constant-time comparison,
 * and argon2id password hashes (libargon2). Hashes of tokens are core's SHA-256 (hash.h). */
#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <argon2.h>

#include "api/api_impl.h"

/* argon2id cost: OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). */
enum { ARGON_T = 2, ARGON_M_KIB = 19456, ARGON_P = 1, ARGON_SALT = 16, ARGON_HASH = 32 };
enum { PASSWORD_MIN = 8, PASSWORD_MAX = 1024 };

int bb_api_random(void *buf, size_t n, bb_error *err)
{
    unsigned char *p = buf;
    while (n > 0) {
        ssize_t got = getrandom(p, n, 0);
        if (got < 0) {
            if (errno == EINTR)
                continue;
            return bb_error_set(err, BB_EINTERNAL, "getrandom: %s", strerror(errno));
        }
        p += got;
        n -= (size_t)got;
    }
    return 0;
}

size_t bb__base64url(const unsigned char *in, size_t n, char *out, size_t size)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    size_t o = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | in[i];
        bits += 8;
        while (bits >= 6) {
            bits -= 6;
            if (o + 1 < size)
                out[o++] = abc[(acc >> bits) & 63];
        }
    }
    if (bits > 0 && o + 1 < size)
        out[o++] = abc[(acc << (6 - bits)) & 63];
    if (size)
        out[o] = '\0';
    return o;
}

int bb__random_text(size_t bytes, char *out, size_t size, bb_error *err)
{
    unsigned char raw[64];
    int rc;
    if (bytes > sizeof raw || size < (bytes * 4 + 2) / 3 + 1)
        return bb_error_set(err, BB_EINTERNAL, "random text: buffer too small");
    if ((rc = bb_api_random(raw, bytes, err)) != 0)
        return rc;
    bb__base64url(raw, bytes, out, size);
    return 0;
}

int bb__ct_equal(const void *a, const void *b, size_t n)
{
    const volatile unsigned char *x = a, *y = b;
    unsigned char d = 0;
    for (size_t i = 0; i < n; i++)
        d |= x[i] ^ y[i];
    return d == 0;
}

int bb_api_password_hash(const char *password, char *out, size_t size, bb_error *err)
{
    unsigned char salt[ARGON_SALT];
    size_t n = password ? strlen(password) : 0;
    int rc;
    if (n < PASSWORD_MIN || n > PASSWORD_MAX)
        return bb_error_set(err, BB_EINVAL, "a password must have %d to %d bytes (this one has %zu)",
                            PASSWORD_MIN, PASSWORD_MAX, n);
    if (size < argon2_encodedlen(ARGON_T, ARGON_M_KIB, ARGON_P, ARGON_SALT, ARGON_HASH, Argon2_id))
        return bb_error_set(err, BB_EINTERNAL, "password hash: buffer too small");
    if ((rc = bb_api_random(salt, sizeof salt, err)) != 0)
        return rc;
    rc = argon2id_hash_encoded(ARGON_T, ARGON_M_KIB, ARGON_P, password, n, salt, sizeof salt, ARGON_HASH,
                               out, size);
    if (rc != ARGON2_OK)
        return bb_error_set(err, rc == ARGON2_MEMORY_ALLOCATION_ERROR ? BB_ENOMEM : BB_EINTERNAL,
                            "argon2id: %s", argon2_error_message(rc));
    return 0;
}

int bb_api_password_verify(const char *encoded, const char *password)
{
    if (!encoded || !password || strncmp(encoded, "$argon2id$", 10) != 0)
        return 0;
    return argon2id_verify(encoded, password, strlen(password)) == ARGON2_OK;
}

void bb__password_burn(const char *password)
{
    /* Spends what a verification costs, so an unknown user name answers as slowly as a wrong
     * password (no user enumeration by timing). */
    static const unsigned char salt[ARGON_SALT] = {0};
    unsigned char hash[ARGON_HASH];
    size_t n = password ? strlen(password) : 0;
    (void)argon2id_hash_raw(ARGON_T, ARGON_M_KIB, ARGON_P, password ? password : "", n, salt, sizeof salt,
                            hash, sizeof hash);
}
