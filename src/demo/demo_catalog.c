/* demo_catalog.c: what the demo shop sells: twelve categories with their margins, return rates and
 * affine categories, product templates expanded into SKUs (prices in kuruş, nudged a little by the
 * seed), the planted complementary pairs, and how a basket of a given value is filled. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "demo/demo_internal.h"

const char *const bb__channel_names[BB__N_CHANNELS] = {"web", "mobile_app", "store"};

enum { GYM, AYK, CNT, KZM, KSB, ELK, EVY, MTF, BEB, OYN, SPR, KTP, N_CAT };

static const struct {
    const char *name, *code;
    double weight, margin, return_rate;
    int affine;
} category_table[N_CAT] = {
    [GYM] = {"Giyim", "GYM", 18, 0.55, 0.040, AYK},
    [AYK] = {"Ayakkabı", "AYK", 9, 0.48, 0.035, GYM},
    [CNT] = {"Çanta & Aksesuar", "CNT", 6, 0.60, 0.020, GYM},
    [KZM] = {"Kozmetik", "KZM", 10, 0.42, 0.010, KSB},
    [KSB] = {"Kişisel Bakım", "KSB", 9, 0.30, 0.007, KZM},
    [ELK] = {"Elektronik", "ELK", 7, 0.12, 0.015, KTP},
    [EVY] = {"Ev & Yaşam", "EVY", 9, 0.45, 0.015, MTF},
    [MTF] = {"Mutfak", "MTF", 9, 0.35, 0.010, EVY},
    [BEB] = {"Anne & Bebek", "BEB", 6, 0.25, 0.010, OYN},
    [OYN] = {"Oyuncak", "OYN", 5, 0.40, 0.013, BEB},
    [SPR] = {"Spor & Outdoor", "SPR", 6, 0.38, 0.018, AYK},
    [KTP] = {"Kitap & Kırtasiye", "KTP", 6, 0.28, 0.005, OYN},
};

/* Variant sets appended to a template's name. */
static const char *const colours[] = {"Siyah", "Beyaz", "Lacivert", "Gri", "Bej", "Kırmızı", "Yeşil", "Mavi"};
static const char *const tones[] = {"Açık Ton", "Orta Ton", "Koyu Ton"};
static const char *const scents[] = {"Gül", "Vanilya", "Okyanus", "Lavanta"};
static const char *const kinds_hair[] = {"Kepeğe Karşı", "Onarıcı", "Günlük Kullanım"};
static const char *const kinds_tooth[] = {"Beyazlatıcı", "Hassas Dişler"};
static const char *const novels[] = {"Kürk Mantolu Madonna", "Tutunamayanlar", "İnce Memed",
                                     "Saatleri Ayarlama Enstitüsü", "Çalıkuşu", "Aylak Adam"};
static const char *const self_help[] = {"Alışkanlıklar", "Zaman Yönetimi", "Odaklanma"};
static const char *const tales[] = {"Keloğlan", "Nasreddin Hoca", "Dede Korkut"};
static const char *const games[] = {"Tabu", "Monopoly", "Okey Takımı"};

enum { V_NONE, V_COLOUR, V_TONE, V_SCENT, V_HAIR, V_TOOTH, V_NOVEL, V_SELFHELP, V_TALE, V_GAME };
static const struct {
    const char *const *names;
    int n;
} variant_sets[] = {
    [V_NONE] = {NULL, 0},
    [V_COLOUR] = {colours, 8},
    [V_TONE] = {tones, 3},
    [V_SCENT] = {scents, 4},
    [V_HAIR] = {kinds_hair, 3},
    [V_TOOTH] = {kinds_tooth, 2},
    [V_NOVEL] = {novels, 6},
    [V_SELFHELP] = {self_help, 3},
    [V_TALE] = {tales, 3},
    [V_GAME] = {games, 3},
};

/* A template: name, list price in TRY, how many variants from which set, popularity; `pair` names the
 * template whose single product is this one's planted complement (both have one variant). */
typedef struct tmpl {
    int cat;
    const char *name;
    double price;
    int n_var, var_set;
    double pop;
    const char *pair;
} tmpl;

static const tmpl templates[] = {
    {GYM, "Basic Tişört", 349.90, 8, V_COLOUR, 3.0, NULL},
    {GYM, "Oversize Sweatshirt", 899.90, 5, V_COLOUR, 1.5, NULL},
    {GYM, "Slim Fit Kot Pantolon", 1299.90, 4, V_COLOUR, 2.0, NULL},
    {GYM, "Keten Gömlek", 1099.90, 3, V_COLOUR, 1.0, NULL},
    {GYM, "Klasik Gömlek", 899.90, 2, V_COLOUR, 1.0, NULL},
    {GYM, "Triko Kazak", 1199.90, 5, V_COLOUR, 1.2, NULL},
    {GYM, "Midi Elbise", 1599.90, 5, V_COLOUR, 1.2, NULL},
    {GYM, "Şişme Mont", 3499.90, 2, V_COLOUR, 0.8, NULL},
    {GYM, "Trençkot", 3999.90, 2, V_COLOUR, 0.5, NULL},
    {GYM, "Takım Elbise", 5999.90, 1, V_NONE, 0.6, "İpek Kravat"},
    {GYM, "Pijama Takımı", 699.90, 3, V_COLOUR, 1.0, NULL},
    {GYM, "Eşofman Altı", 749.90, 2, V_COLOUR, 1.2, NULL},
    {AYK, "Koşu Ayakkabısı AirRun", 3299.90, 1, V_NONE, 1.5, "Koşu Çorabı 3'lü"},
    {AYK, "Beyaz Sneaker", 2199.90, 4, V_COLOUR, 2.0, NULL},
    {AYK, "Deri Bot", 3799.90, 2, V_COLOUR, 0.8, NULL},
    {AYK, "Klasik Erkek Ayakkabı", 2899.90, 2, V_COLOUR, 0.7, NULL},
    {AYK, "Topuklu Ayakkabı", 1999.90, 3, V_COLOUR, 0.8, NULL},
    {AYK, "Babet", 899.90, 5, V_COLOUR, 1.0, NULL},
    {AYK, "Terlik", 299.90, 4, V_COLOUR, 1.2, NULL},
    {AYK, "Çocuk Spor Ayakkabı", 1199.90, 3, V_COLOUR, 1.0, NULL},
    {AYK, "Yağmur Botu", 999.90, 2, V_COLOUR, 0.5, NULL},
    {AYK, "Ayakkabı Bakım Spreyi", 189.90, 1, V_NONE, 0.6, NULL},
    {CNT, "Deri Omuz Çantası", 1899.90, 3, V_COLOUR, 1.2, NULL},
    {CNT, "Sırt Çantası", 999.90, 4, V_COLOUR, 1.2, NULL},
    {CNT, "Cüzdan", 599.90, 4, V_COLOUR, 1.0, NULL},
    {CNT, "İpek Kravat", 499.90, 1, V_NONE, 0.3, NULL},
    {CNT, "Güneş Gözlüğü", 1299.90, 2, V_COLOUR, 0.8, NULL},
    {CNT, "Kemer", 449.90, 2, V_COLOUR, 0.8, NULL},
    {CNT, "Şal", 399.90, 5, V_COLOUR, 0.8, NULL},
    {CNT, "Kol Saati", 2999.90, 2, V_COLOUR, 0.5, NULL},
    {CNT, "Bere", 199.90, 4, V_COLOUR, 0.8, NULL},
    {CNT, "Valiz Orta Boy", 3499.90, 2, V_COLOUR, 0.4, NULL},
    {KZM, "Nemlendirici Krem 50 ml", 549.90, 1, V_NONE, 1.5, NULL},
    {KZM, "Güneş Kremi SPF 50", 459.90, 1, V_NONE, 1.2, NULL},
    {KZM, "Ruj", 299.90, 6, V_COLOUR, 1.0, NULL},
    {KZM, "Maskara", 349.90, 1, V_NONE, 1.2, NULL},
    {KZM, "Fondöten", 599.90, 3, V_TONE, 0.9, NULL},
    {KZM, "Parfüm EDP 100 ml", 1899.90, 4, V_SCENT, 0.8, NULL},
    {KZM, "Oje", 129.90, 6, V_COLOUR, 1.0, NULL},
    {KZM, "Saç Boyası Seti", 249.90, 1, V_NONE, 0.7, "Renk Koruyucu Şampuan"},
    {KZM, "Makyaj Temizleme Suyu", 219.90, 1, V_NONE, 1.0, NULL},
    {KZM, "Göz Farı Paleti", 699.90, 1, V_NONE, 0.6, NULL},
    {KZM, "C Vitamini Serumu", 749.90, 1, V_NONE, 0.7, NULL},
    {KSB, "Şarjlı Diş Fırçası", 1499.90, 1, V_NONE, 0.8, "Diş Fırçası Yedek Başlık 4'lü"},
    {KSB, "Diş Fırçası Yedek Başlık 4'lü", 399.90, 1, V_NONE, 0.3, NULL},
    {KSB, "Diş Macunu 75 ml", 89.90, 2, V_TOOTH, 2.0, NULL},
    {KSB, "Şampuan 500 ml", 179.90, 3, V_HAIR, 2.0, NULL},
    {KSB, "Renk Koruyucu Şampuan", 219.90, 1, V_NONE, 0.3, NULL},
    {KSB, "Duş Jeli 500 ml", 149.90, 3, V_SCENT, 1.5, NULL},
    {KSB, "Deodorant", 139.90, 2, V_SCENT, 1.5, NULL},
    {KSB, "Tıraş Makinesi", 2299.90, 1, V_NONE, 0.5, NULL},
    {KSB, "Tıraş Bıçağı 4'lü", 349.90, 1, V_NONE, 1.0, NULL},
    {KSB, "Saç Kurutma Makinesi", 1799.90, 1, V_NONE, 0.5, NULL},
    {KSB, "El Kremi", 99.90, 2, V_SCENT, 1.0, NULL},
    {KSB, "Pamuk 100 g", 39.90, 1, V_NONE, 1.0, NULL},
    {ELK, "Akıllı Telefon Nova 12 128 GB", 21999.00, 1, V_NONE, 1.0, "Şeffaf Telefon Kılıfı Nova 12"},
    {ELK, "Şeffaf Telefon Kılıfı Nova 12", 299.90, 1, V_NONE, 0.3, NULL},
    {ELK, "Dizüstü Bilgisayar Atlas 15", 32499.00, 1, V_NONE, 0.6, "Kablosuz Mouse"},
    {ELK, "Kablosuz Mouse", 449.90, 1, V_NONE, 0.4, NULL},
    {ELK, "Kablosuz Kulaklık", 1999.90, 2, V_COLOUR, 1.5, NULL},
    {ELK, "Akıllı Saat", 4999.90, 2, V_COLOUR, 0.8, NULL},
    {ELK, "Tablet 10 inç", 9999.00, 1, V_NONE, 0.5, NULL},
    {ELK, "Powerbank 10000 mAh", 699.90, 2, V_COLOUR, 1.2, NULL},
    {ELK, "Hızlı Şarj Adaptörü", 399.90, 1, V_NONE, 1.2, NULL},
    {ELK, "USB-C Kablo 1 m", 149.90, 2, V_COLOUR, 1.5, NULL},
    {ELK, "Bluetooth Hoparlör", 1499.90, 2, V_COLOUR, 0.8, NULL},
    {ELK, "Şarj Edilebilir Pil 4'lü", 349.90, 1, V_NONE, 0.4, NULL},
    {ELK, "Oyun Konsolu", 18999.00, 1, V_NONE, 0.4, NULL},
    {ELK, "Akıllı Televizyon 55 inç", 27999.00, 1, V_NONE, 0.4, NULL},
    {EVY, "Nevresim Takımı Çift Kişilik", 1499.90, 1, V_NONE, 1.0, "Yastık 2'li"},
    {EVY, "Yastık 2'li", 599.90, 1, V_NONE, 0.4, NULL},
    {EVY, "Pike Takımı", 899.90, 2, V_COLOUR, 0.8, NULL},
    {EVY, "Banyo Havlusu", 349.90, 5, V_COLOUR, 1.5, NULL},
    {EVY, "Dekoratif Yastık Kılıfı", 199.90, 5, V_COLOUR, 1.0, NULL},
    {EVY, "Kokulu Mum", 249.90, 4, V_SCENT, 1.2, NULL},
    {EVY, "Fotoğraf Çerçevesi 20x30", 179.90, 2, V_COLOUR, 0.8, NULL},
    {EVY, "Halı 160x230", 3999.90, 2, V_COLOUR, 0.5, NULL},
    {EVY, "Masa Lambası", 899.90, 2, V_COLOUR, 0.7, NULL},
    {EVY, "Fon Perde", 1199.90, 2, V_COLOUR, 0.6, NULL},
    {EVY, "Çamaşır Sepeti", 399.90, 1, V_NONE, 0.6, NULL},
    {EVY, "Saksı Seti", 299.90, 1, V_NONE, 0.6, NULL},
    {MTF, "Filtre Kahve Makinesi", 2499.90, 1, V_NONE, 0.8, "Filtre Kahve 500 g"},
    {MTF, "Filtre Kahve 500 g", 289.90, 1, V_NONE, 0.5, NULL},
    {MTF, "Türk Kahvesi Makinesi", 1899.90, 1, V_NONE, 0.8, "Türk Kahvesi 250 g"},
    {MTF, "Türk Kahvesi 250 g", 159.90, 1, V_NONE, 0.5, NULL},
    {MTF, "Çelik Tencere Seti", 4499.90, 1, V_NONE, 0.6, NULL},
    {MTF, "Granit Tava 28 cm", 899.90, 2, V_COLOUR, 1.2, NULL},
    {MTF, "Çay Makinesi", 1999.90, 1, V_NONE, 0.8, NULL},
    {MTF, "Demlik Çay 1 kg", 249.90, 1, V_NONE, 1.5, NULL},
    {MTF, "Yemek Takımı 24 Parça", 2999.90, 2, V_COLOUR, 0.6, NULL},
    {MTF, "Bardak Seti 6'lı", 349.90, 2, V_COLOUR, 1.0, NULL},
    {MTF, "Saklama Kabı Seti", 399.90, 1, V_NONE, 1.0, NULL},
    {MTF, "Blender", 1599.90, 1, V_NONE, 0.6, NULL},
    {MTF, "Airfryer", 3999.90, 1, V_NONE, 0.9, NULL},
    {MTF, "Bıçak Seti", 999.90, 1, V_NONE, 0.6, NULL},
    {MTF, "Kesme Tahtası", 249.90, 1, V_NONE, 0.8, NULL},
    {BEB, "Bebek Bezi Jumbo Paket", 649.90, 1, V_NONE, 2.5, "Islak Mendil 12'li"},
    {BEB, "Islak Mendil 12'li", 249.90, 1, V_NONE, 0.6, NULL},
    {BEB, "Biberon 250 ml", 299.90, 3, V_COLOUR, 1.0, NULL},
    {BEB, "Emzik 2'li", 149.90, 2, V_COLOUR, 1.0, NULL},
    {BEB, "Bebek Şampuanı", 129.90, 1, V_NONE, 1.0, NULL},
    {BEB, "Bebek Arabası", 8999.90, 1, V_NONE, 0.3, NULL},
    {BEB, "Mama Sandalyesi", 2999.90, 1, V_NONE, 0.4, NULL},
    {BEB, "Bebek Tulumu", 399.90, 4, V_COLOUR, 1.2, NULL},
    {BEB, "Pişik Kremi", 119.90, 1, V_NONE, 1.0, NULL},
    {BEB, "Oto Koltuğu", 4999.90, 1, V_NONE, 0.3, NULL},
    {BEB, "Bebek Battaniyesi", 449.90, 2, V_COLOUR, 0.8, NULL},
    {OYN, "Uzaktan Kumandalı Araba", 1299.90, 1, V_NONE, 1.0, "Şarj Edilebilir Pil 4'lü"},
    {OYN, "Yapboz 1000 Parça", 349.90, 4, V_COLOUR, 1.0, NULL},
    {OYN, "Yapı Blokları Seti", 899.90, 2, V_COLOUR, 1.2, NULL},
    {OYN, "Peluş Ayı", 299.90, 3, V_COLOUR, 1.0, NULL},
    {OYN, "Oyun Hamuru Seti", 179.90, 1, V_NONE, 1.0, NULL},
    {OYN, "Kutu Oyunu", 599.90, 3, V_GAME, 1.0, NULL},
    {OYN, "Oyuncak Bebek", 499.90, 2, V_COLOUR, 0.8, NULL},
    {OYN, "Ahşap Tren Seti", 749.90, 1, V_NONE, 0.6, NULL},
    {OYN, "Çocuk Bisikleti 16 Jant", 3499.90, 1, V_NONE, 0.4, NULL},
    {OYN, "Su Tabancası", 149.90, 1, V_NONE, 0.6, NULL},
    {SPR, "Yoga Matı", 599.90, 1, V_NONE, 1.2, "Yoga Bloğu"},
    {SPR, "Yoga Bloğu", 249.90, 1, V_NONE, 0.3, NULL},
    {SPR, "Koşu Çorabı 3'lü", 199.90, 1, V_NONE, 0.4, NULL},
    {SPR, "Dambıl Seti 10 kg", 1299.90, 1, V_NONE, 0.6, NULL},
    {SPR, "Spor Tayt", 699.90, 4, V_COLOUR, 1.2, NULL},
    {SPR, "Termos 750 ml", 599.90, 2, V_COLOUR, 1.0, NULL},
    {SPR, "Kamp Çadırı 3 Kişilik", 3999.90, 1, V_NONE, 0.4, NULL},
    {SPR, "Uyku Tulumu", 1799.90, 1, V_NONE, 0.4, NULL},
    {SPR, "Matara", 249.90, 3, V_COLOUR, 1.0, NULL},
    {SPR, "Direnç Bandı Seti", 349.90, 1, V_NONE, 0.8, NULL},
    {SPR, "Futbol Topu", 699.90, 1, V_NONE, 0.8, NULL},
    {SPR, "Spor Çantası", 899.90, 2, V_COLOUR, 0.7, NULL},
    {KTP, "Boyama Kitabı", 129.90, 1, V_NONE, 1.0, "Kuru Boya 24 Renk"},
    {KTP, "Kuru Boya 24 Renk", 189.90, 1, V_NONE, 0.4, NULL},
    {KTP, "Roman", 249.90, 6, V_NOVEL, 1.5, NULL},
    {KTP, "Defter A4 Kareli", 89.90, 4, V_COLOUR, 1.2, NULL},
    {KTP, "Dolma Kalem", 499.90, 1, V_NONE, 0.4, NULL},
    {KTP, "Tükenmez Kalem 10'lu", 99.90, 1, V_NONE, 1.0, NULL},
    {KTP, "Ajanda", 349.90, 1, V_NONE, 0.8, NULL},
    {KTP, "Kalemlik", 149.90, 3, V_COLOUR, 0.6, NULL},
    {KTP, "Sulu Boya Seti", 229.90, 1, V_NONE, 0.6, NULL},
    {KTP, "Kişisel Gelişim", 279.90, 3, V_SELFHELP, 0.8, NULL},
    {KTP, "Masal Kitabı", 159.90, 3, V_TALE, 0.8, NULL},
};

#define N_TEMPLATES (sizeof(templates) / sizeof(templates[0]))

void bb__catalog_release(bb__catalog *c)
{
    if (!c)
        return;
    free(c->categories);
    free(c->products);
    free(c->by_price);
    memset(c, 0, sizeof *c);
}

/* A shop price: rounded to end in ,90 (or a whole lira above 10,000 TRY). */
static int64_t shop_price(double try_)
{
    if (try_ >= 10000.0)
        return (int64_t)llround(try_) * 100;
    return (int64_t)floor(try_) * 100 + 90;
}

/* Sorts product indexes by price, then index (insertion sort: a few hundred products, once). */
static void sort_by_price(bb__catalog *c)
{
    for (int i = 0; i < c->n_products; i++)
        c->by_price[i] = i;
    for (int i = 1; i < c->n_products; i++) {
        int x = c->by_price[i], j = i;
        while (j > 0 && c->products[c->by_price[j - 1]].price_minor > c->products[x].price_minor) {
            c->by_price[j] = c->by_price[j - 1];
            j--;
        }
        c->by_price[j] = x;
    }
}

int bb__catalog_build(bb__catalog *c, uint64_t seed, bb_error *err)
{
    bb_rng g;
    int n = 0, rc = 0;
    double acc = 0.0;
    memset(c, 0, sizeof *c);
    bb_rng_seed_stream(&g, seed, 0xca7a109ULL);
    for (size_t t = 0; t < N_TEMPLATES; t++)
        n += templates[t].n_var;
    c->n_categories = N_CAT;
    c->categories = calloc(N_CAT, sizeof *c->categories);
    c->products = calloc((size_t)n, sizeof *c->products);
    c->by_price = calloc((size_t)n, sizeof *c->by_price);
    if (!c->categories || !c->products || !c->by_price) {
        rc = bb_error_set(err, BB_ENOMEM, "out of memory building the demo catalogue");
        goto done;
    }
    for (int k = 0; k < N_CAT; k++) {
        bb__category *cat = &c->categories[k];
        cat->name = category_table[k].name;
        cat->code = category_table[k].code;
        cat->weight = category_table[k].weight;
        cat->margin = category_table[k].margin;
        cat->return_rate = category_table[k].return_rate;
        cat->affine = category_table[k].affine;
        cat->first = -1;
        acc += cat->weight;
        c->category_cum[k] = acc;
    }
    /* Templates are grouped by category, so each category's products are contiguous. */
    for (size_t t = 0; t < N_TEMPLATES; t++) {
        const tmpl *tp = &templates[t];
        bb__category *cat = &c->categories[tp->cat];
        for (int v = 0; v < tp->n_var; v++) {
            bb__product *p = &c->products[c->n_products];
            double nudge = tp->n_var > 1 ? 0.9 + 0.2 * bb_rng_uniform(&g) : 1.0;
            double margin = cat->margin * (0.85 + 0.3 * bb_rng_uniform(&g));
            if (cat->first < 0)
                cat->first = c->n_products;
            cat->count++;
            snprintf(p->sku, sizeof p->sku, "%s-%04d", cat->code, cat->count);
            if (tp->n_var > 1)
                snprintf(p->name, sizeof p->name, "%s %s", tp->name, variant_sets[tp->var_set].names[v]);
            else
                snprintf(p->name, sizeof p->name, "%s", tp->name);
            p->category = tp->cat;
            p->complement = -1;
            p->price_minor = shop_price(tp->price * nudge);
            p->cost_minor = (int64_t)llround((double)p->price_minor * (1.0 - margin));
            p->popularity = tp->pop / sqrt(1.0 + v);
            c->n_products++;
        }
    }
    /* The planted pairs: template names to product indexes. */
    for (size_t t = 0; t < N_TEMPLATES; t++) {
        int from = -1, to = -1;
        if (!templates[t].pair)
            continue;
        for (int i = 0; i < c->n_products; i++) {
            if (strcmp(c->products[i].name, templates[t].name) == 0)
                from = i;
            if (strcmp(c->products[i].name, templates[t].pair) == 0)
                to = i;
        }
        if (from < 0 || to < 0) {
            rc = bb_error_set(err, BB_EINTERNAL, "demo catalogue: pair %s / %s not found", templates[t].name,
                              templates[t].pair);
            goto done;
        }
        c->products[from].complement = to;
    }
    sort_by_price(c);
done:
    if (rc)
        bb__catalog_release(c);
    return rc;
}
