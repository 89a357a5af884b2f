/* money.c: ISO 4217 codes and minor units, parsing and formatting amounts (money.h). */
#include "birebir/money.h"

#include <stdio.h>
#include <string.h>

#include "birebir/num.h"

/* Active ISO 4217 codes (list one, 2024) with 2 minor digits, in one string for a compact table. */
static const char two_digit[] =
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN BWP BYN BZD "
    "CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS "
    "GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL "
    "MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK "
    "PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS "
    "TMT TOP TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG ";
static const char zero_digit[] =
    "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF ";
static const char three_digit[] = "BHD IQD JOD KWD LYD OMR TND ";
static const char four_digit[] = "CLF UYW ";

static int in_list(const char *list, const char *code)
{
    for (const char *p = list; *p; p += 4)
        if (memcmp(p, code, 3) == 0)
            return 1;
    return 0;
}

int bb_money_digits(const char *code)
{
    if (!code || strlen(code) != 3)
        return -1;
    for (int i = 0; i < 3; i++)
        if (code[i] < 'A' || code[i] > 'Z')
            return -1;
    if (strcmp(code, "TRY") == 0 || strcmp(code, "EUR") == 0 || strcmp(code, "USD") == 0)
        return 2; /* the usual ones, without a walk through the list */
    if (in_list(two_digit, code))
        return 2;
    if (in_list(zero_digit, code))
        return 0;
    if (in_list(three_digit, code))
        return 3;
    if (in_list(four_digit, code))
        return 4;
    return -1;
}

int bb_money_code_parse(const char *s, char out[4], bb_error *err)
{
    const char *p = s;
    char c[4] = {0};
    size_t n = 0;
    while (*p == ' ' || *p == '\t')
        p++;
    for (; *p && *p != ' ' && *p != '\t' && n < 4; p++, n++)
        c[n < 3 ? n : 3] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 'a' + 'A') : *p;
    while (*p == ' ' || *p == '\t')
        p++;
    if (n != 3 || *p || bb_money_digits(c) < 0)
        return bb_error_set(err, BB_EINVAL,
                            "\"%s\" is not an ISO 4217 currency code (e.g. TRY, USD, EUR)", s);
    memcpy(out, c, 4);
    return 0;
}

int bb_money_parse(const char *s, bb_locale loc, const char *code, int64_t *minor, bb_error *err)
{
    int d = bb_money_digits(code);
    if (d < 0)
        return bb_error_set(err, BB_EINVAL, "\"%s\" is not an ISO 4217 currency code", code ? code : "");
    return bb_num_parse_scaled(s, loc, d, minor, err);
}

static const char *symbol(const char *code)
{
    static const struct { const char code[4]; const char *sym; } syms[] = {
        {"TRY", "₺"}, {"USD", "$"}, {"EUR", "€"}, {"GBP", "£"}, {"JPY", "¥"},
    };
    for (size_t i = 0; i < sizeof syms / sizeof syms[0]; i++)
        if (code && strcmp(code, syms[i].code) == 0)
            return syms[i].sym;
    return NULL;
}

/* Writes |minor| as digits with grouping grp (0: none) and decimal mark dec into out (>= 48 bytes). */
static void digits_text(int64_t minor, int digits, char grp, char dec, char *out)
{
    char raw[32], *o = out;
    uint64_t u = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    int n = snprintf(raw, sizeof raw, "%0*llu", digits + 1, (unsigned long long)u);
    int ilen = n - digits;
    for (int i = 0; i < ilen; i++) {
        if (grp && i > 0 && (ilen - i) % 3 == 0)
            *o++ = grp;
        *o++ = raw[i];
    }
    if (digits > 0) {
        *o++ = dec;
        memcpy(o, raw + ilen, (size_t)digits);
        o += digits;
    }
    *o = '\0';
}

size_t bb_money_format(int64_t minor, const char *code, bb_locale loc, char *buf, size_t size)
{
    int d = bb_money_digits(code);
    const char *sym = symbol(code);
    const char *sign = minor < 0 ? "-" : "";
    char num[64];
    int n;
    if (d < 0)
        d = 2;
    if (loc == BB_LOCALE_TR) {
        digits_text(minor, d, '.', ',', num);
        n = snprintf(buf, size, "%s%s %s", sign, num, sym ? sym : (code ? code : ""));
    } else {
        digits_text(minor, d, ',', '.', num);
        if (sym)
            n = snprintf(buf, size, "%s%s%s", sign, sym, num);
        else
            n = snprintf(buf, size, "%s%s %s", sign, code ? code : "", num);
    }
    return n < 0 ? 0 : (size_t)n;
}

size_t bb_money_format_plain(int64_t minor, int digits, char *buf, size_t size)
{
    char num[64];
    int n;
    if (digits < 0 || digits > 6)
        digits = 2;
    digits_text(minor, digits, 0, '.', num);
    n = snprintf(buf, size, "%s%s", minor < 0 ? "-" : "", num);
    return n < 0 ? 0 : (size_t)n;
}
