/* demo_names.c: who the demo's customers are: Turkish given names by gender and family names (roughly
 * in order of frequency, weighted by rank), the 81 provinces weighted by population (TÜİK 2023,
 * thousands, rounded), the shops, email domains, and the Turkish-aware text helpers that make emails
 * and spelling variants of names. */
#include <math.h>
#include <string.h>

#include "demo/demo_internal.h"

static const char *const female_names[] = {
    "Zeynep", "Elif", "Ayşe", "Fatma", "Emine", "Hatice", "Merve", "Esra", "Büşra", "Zehra",
    "Özlem", "Yasemin", "Hülya", "Derya", "Gül", "Sibel", "Ebru", "Seda", "Gamze", "Tuğba",
    "Kübra", "Şeyma", "Rabia", "Sümeyye", "Esma", "Melek", "Meryem", "Hacer", "Sevgi", "Songül",
    "Dilek", "Filiz", "Nurcan", "Nur", "Aysel", "Aynur", "Serpil", "Gülsüm", "Gülay", "Nermin",
    "Nesrin", "Canan", "Pınar", "Burcu", "Aslı", "Ceren", "Cansu", "Damla", "Dilara", "Ecrin",
    "Eylül", "Defne", "Azra", "Asya", "Nehir", "Mira", "Ela", "Duru", "Zümra", "Hiranur",
    "Beren", "Ada", "İrem", "İpek", "Ezgi", "Gizem", "Buse", "Başak", "Berna", "Bahar",
    "Buket", "Deniz", "Didem", "Duygu", "Elçin", "Emel", "Esin", "Fadime", "Feride", "Funda",
    "Gonca", "Gülşen", "Gülten", "Hale", "Handan", "Hande", "Hilal", "Hümeyra", "Işıl", "Kader",
    "Kezban", "Lale", "Leyla", "Melike", "Melis", "Meltem", "Mine", "Müge", "Nazlı", "Neslihan",
    "Nilay", "Nilüfer", "Oya", "Öykü", "Özge", "Özden", "Pelin", "Reyhan", "Rukiye", "Saadet",
    "Sabiha", "Selin", "Selma", "Semra", "Serap", "Sevda", "Sevim", "Sevil", "Sinem", "Sude",
    "Şule", "Şükran", "Şerife", "Tülay", "Tülin", "Türkan", "Ümran", "Ümmühan", "Yağmur", "Yeliz",
    "Yıldız", "Zerrin", "Zuhal", "Nihan", "Naz", "Nisa", "Begüm", "Betül", "Beyza", "Cemile",
    "Dilan", "Ece", "Elvan", "Fulya", "Gökçe", "Hazal", "İlknur", "Kevser", "Medine", "Nazan",
    "Nazife", "Nihal", "Rümeysa", "Şenay", "Tuba", "Ülkü", "Zübeyde", "Aleyna", "Berfin", "Ilgın",
    "Güler", "Arzu", "Aylin", "Bengü", "Çiğdem", "Esengül", "Gülizar", "Hayriye", "Jale", "Mualla",
};

static const char *const male_names[] = {
    "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "İsmail", "Osman", "Yusuf",
    "Murat", "Ömer", "Ramazan", "Halil", "Süleyman", "Abdullah", "Mahmut", "Recep", "Salih", "Fatih",
    "Kadir", "Emre", "Hakan", "Adem", "Kemal", "Yaşar", "Bülent", "Serkan", "Orhan", "Burak",
    "Gökhan", "Uğur", "Cem", "Can", "Emir", "Eymen", "Alparslan", "Yiğit", "Kerem", "Miraç",
    "Aras", "Çınar", "Ayaz", "Poyraz", "Efe", "Mert", "Arda", "Berk", "Barış", "Baran",
    "Batuhan", "Bora", "Cengiz", "Cihan", "Doğan", "Doğukan", "Ercan", "Erdem", "Erkan", "Ersin",
    "Ertuğrul", "Eren", "Furkan", "Gürkan", "Hamza", "Harun", "İlhan", "İlker", "İsa", "Kaan",
    "Kamil", "Kenan", "Koray", "Levent", "Metin", "Mevlüt", "Muhammed", "Musa", "Necati", "Nihat",
    "Oğuz", "Oğuzhan", "Okan", "Onur", "Ozan", "Özcan", "Özgür", "Rıza", "Sadık", "Sami",
    "Selim", "Serdar", "Sinan", "Suat", "Şahin", "Şükrü", "Şener", "Tahsin", "Taner", "Tarık",
    "Tayfun", "Tolga", "Tuncay", "Turgut", "Ufuk", "Umut", "Utku", "Ünal", "Volkan", "Yakup",
    "Yasin", "Yavuz", "Yunus", "Zafer", "Zeki", "Ziya", "Alper", "Anıl", "Atakan", "Aydın",
    "Bahadır", "Bekir", "Celal", "Cemal", "Cüneyt", "Dursun", "Engin", "Enes", "Erol", "Faruk",
    "Ferhat", "Fikret", "Gökay", "Güven", "Hilmi", "Hüsnü", "İhsan", "Kazım", "Lütfi", "Mesut",
    "Nuri", "Oktay", "Rasim", "Sabri", "Sedat", "Semih", "Sercan", "Sezer", "Taha", "Talha",
    "Tamer", "Tevfik", "Tunahan", "Vedat", "Yücel", "Zekeriya", "Ege", "Çağrı", "Çağlar", "Görkem",
    "Emin", "Erdoğan", "İsmet", "Necdet", "Nevzat", "Özkan", "Rüştü", "Şevket", "Tuğrul", "Ümit",
};

static const char *const last_names[] = {
    "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın", "Özdemir",
    "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan", "Şimşek",
    "Polat", "Özcan", "Korkmaz", "Çakır", "Erdoğan", "Yavuz", "Can", "Acar", "Şen", "Aktaş",
    "Güler", "Yalçın", "Güneş", "Bozkurt", "Bulut", "Keskin", "Ünal", "Turan", "Gül", "Özer",
    "Işık", "Kaplan", "Avcı", "Sarı", "Tekin", "Taş", "Köse", "Yüksel", "Ateş", "Aksoy",
    "Yiğit", "Çiftçi", "Kahraman", "Uçar", "Güven", "Oral", "Karaca", "Erdem", "Metin", "Başaran",
    "Aydemir", "Altun", "Altıntaş", "Akın", "Akbulut", "Akgül", "Akçay", "Akdoğan", "Akkaya", "Aktürk",
    "Alkan", "Altın", "Aras", "Armağan", "Atalay", "Aydoğan", "Aygün", "Baş", "Başar", "Bayram",
    "Bektaş", "Bilgin", "Bilgiç", "Bingöl", "Boz", "Bozdağ", "Budak", "Cengiz", "Ceylan", "Coşkun",
    "Çakmak", "Çalışkan", "Çam", "Çınar", "Çoban", "Çolak", "Dağ", "Dal", "Demirci", "Demirel",
    "Deniz", "Dinç", "Duman", "Durmaz", "Duran", "Ekinci", "Elmas", "Er", "Eren", "Ergün",
    "Erol", "Ersoy", "Esen", "Eser", "Gök", "Gökçe", "Göktaş", "Gündoğdu", "Günay", "Gündüz",
    "Gürbüz", "Gürel", "Güzel", "Ilgaz", "İnce", "İpek", "Kalkan", "Karabulut", "Karakaya", "Karakuş",
    "Karataş", "Kartal", "Kaçar", "Kavak", "Kaymaz", "Kesici", "Kılınç", "Kırmızı", "Kocabaş", "Kocaman",
    "Koyuncu", "Kuru", "Kutlu", "Küçük", "Mutlu", "Okur", "Oktay", "Onur", "Orhan", "Ozan",
    "Öner", "Önal", "Öz", "Özbek", "Özen", "Özgür", "Özkaya", "Özmen", "Öztekin", "Parlak",
    "Sağlam", "Sezer", "Sevim", "Soylu", "Sönmez", "Şeker", "Şener", "Şentürk", "Tan", "Tanrıverdi",
    "Taşkın", "Tatlı", "Temiz", "Toprak", "Tosun", "Tuna", "Turgut", "Tunç", "Türkmen", "Uğur",
    "Uysal", "Uzun", "Ülker", "Ünlü", "Varol", "Yaman", "Yazıcı", "Yener", "Yeşil", "Yılmazer",
    "Yorulmaz", "Yurt", "Yücel", "Zengin", "Zorlu", "Akyol", "Balcı", "Başkaya", "Bayraktar", "Berber",
    "Cömert", "Dede", "Dikmen", "Doğru", "Ekici", "Erbaş", "Erkan", "Eroğlu", "Genç", "Gezer",
    "Gökmen", "Güçlü", "Gümüş", "Güngör", "İşler", "Karaaslan", "Karademir", "Karagöz", "Karaman", "Kaynak",
    "Kızıl", "Kurtuluş", "Mert", "Oğuz", "Onay", "Oruç", "Özbay", "Özdoğan", "Öztaş", "Pehlivan",
    "Sarıkaya", "Savaş", "Selçuk", "Sevinç", "Soysal", "Şahan", "Tekeli", "Topal", "Topçu", "Türk",
    "Uslu", "Üstün", "Yaşar", "Yazgan", "Yetkin", "Akgündüz", "Bağcı", "Çağlar", "Dursun", "Erdinç",
    "Gençtürk", "Hacıoğlu", "Kocabıyık", "Kuzu", "Ocak", "Özyurt", "Sancak", "Tokgöz", "Ulusoy", "Yücesoy",
};

/* The 81 provinces with their population in thousands (TÜİK, end of 2023, rounded). */
static const bb__city cities[] = {
    {"İstanbul", 15655}, {"Ankara", 5803}, {"İzmir", 4479}, {"Bursa", 3214}, {"Antalya", 2696},
    {"Konya", 2320}, {"Adana", 2270}, {"Şanlıurfa", 2171}, {"Gaziantep", 2164}, {"Kocaeli", 2102},
    {"Mersin", 1916}, {"Diyarbakır", 1818}, {"Hatay", 1544}, {"Manisa", 1475}, {"Kayseri", 1445},
    {"Samsun", 1377}, {"Balıkesir", 1276}, {"Tekirdağ", 1167}, {"Aydın", 1162}, {"Van", 1128},
    {"Sakarya", 1098}, {"Kahramanmaraş", 1116}, {"Denizli", 1061}, {"Muğla", 1049}, {"Eskişehir", 915},
    {"Mardin", 870}, {"Trabzon", 819}, {"Ordu", 775}, {"Erzurum", 749}, {"Afyonkarahisar", 751},
    {"Malatya", 742}, {"Sivas", 640}, {"Batman", 634}, {"Adıyaman", 604}, {"Tokat", 597},
    {"Zonguldak", 588}, {"Elazığ", 591}, {"Kütahya", 579}, {"Şırnak", 557}, {"Osmaniye", 559},
    {"Çanakkale", 559}, {"Çorum", 524}, {"Ağrı", 510}, {"Giresun", 448}, {"Isparta", 445},
    {"Aksaray", 433}, {"Yozgat", 418}, {"Edirne", 415}, {"Düzce", 409}, {"Muş", 399},
    {"Kastamonu", 388}, {"Uşak", 375}, {"Kırklareli", 369}, {"Niğde", 365}, {"Bitlis", 353},
    {"Rize", 345}, {"Amasya", 338}, {"Siirt", 331}, {"Bolu", 320}, {"Nevşehir", 310},
    {"Yalova", 296}, {"Bingöl", 282}, {"Hakkari", 278}, {"Kırıkkale", 278}, {"Burdur", 273},
    {"Karaman", 260}, {"Karabük", 250}, {"Kırşehir", 243}, {"Erzincan", 239}, {"Bilecik", 228},
    {"Sinop", 221}, {"Iğdır", 204}, {"Bartın", 203}, {"Çankırı", 197}, {"Artvin", 169},
    {"Kilis", 155}, {"Gümüşhane", 144}, {"Ardahan", 92}, {"Bayburt", 86}, {"Tunceli", 89},
    {"Kars", 274},
};

/* The shops (city index into cities[]): the preferred store of a customer near one. */
static const bb__shop shops[] = {
    {0, "İstanbul Kadıköy"}, {0, "İstanbul Bakırköy"}, {0, "İstanbul Beşiktaş"},
    {0, "İstanbul Ümraniye"}, {0, "İstanbul Beylikdüzü"}, {1, "Ankara Çankaya"},
    {1, "Ankara Kızılay"}, {2, "İzmir Alsancak"}, {2, "İzmir Karşıyaka"}, {3, "Bursa Nilüfer"},
    {4, "Antalya Muratpaşa"}, {5, "Konya Selçuklu"}, {6, "Adana Seyhan"}, {8, "Gaziantep Şehitkamil"},
    {9, "Kocaeli İzmit"}, {10, "Mersin Yenişehir"}, {14, "Kayseri Kocasinan"}, {15, "Samsun Atakum"},
    {24, "Eskişehir Tepebaşı"}, {26, "Trabzon Ortahisar"}, {11, "Diyarbakır Kayapınar"},
    {22, "Denizli Pamukkale"},
};

static const char *const domains[] = {
    "gmail.com", "hotmail.com", "outlook.com", "yahoo.com", "icloud.com", "yandex.com",
    "hotmail.com.tr", "msn.com",
};
static const double domain_weights[] = {55, 17, 9, 6, 6, 4, 2, 1};

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* Zipf-like popularity by rank: the first names are the commonest. */
static void rank_cum(double *cum, size_t n, double shift, double power)
{
    double acc = 0.0;
    for (size_t i = 0; i < n; i++) {
        acc += 1.0 / pow((double)i + shift, power);
        cum[i] = acc;
    }
}

void bb__demo_names_init(bb__demo_names *t)
{
    double acc = 0.0;
    memset(t, 0, sizeof *t);
    _Static_assert(N_OF(female_names) <= 256 && N_OF(male_names) <= 256, "name tables too long");
    _Static_assert(N_OF(last_names) <= 320 && N_OF(cities) <= 96, "tables too long");
    rank_cum(t->female_cum, N_OF(female_names), 8.0, 1.0);
    rank_cum(t->male_cum, N_OF(male_names), 8.0, 1.0);
    rank_cum(t->last_cum, N_OF(last_names), 6.0, 0.9);
    t->female = (bb__name_table){female_names, N_OF(female_names), t->female_cum};
    t->male = (bb__name_table){male_names, N_OF(male_names), t->male_cum};
    t->last = (bb__name_table){last_names, N_OF(last_names), t->last_cum};
    t->cities = cities;
    t->n_cities = N_OF(cities);
    for (size_t i = 0; i < t->n_cities; i++) {
        /* Online shoppers lean to the big cities a little more than the population does. */
        acc += pow(cities[i].population, 1.1);
        t->city_cum[i] = acc;
    }
    t->shops = shops;
    t->n_shops = N_OF(shops);
    t->domains = domains;
    t->n_domains = N_OF(domains);
    acc = 0.0;
    for (size_t i = 0; i < N_OF(domains); i++) {
        acc += domain_weights[i];
        t->domain_cum[i] = acc;
    }
}

int bb__demo_shop_in_city(const bb__demo_names *t, int city, bb_rng *g)
{
    int first = -1, n = 0;
    for (size_t i = 0; i < t->n_shops; i++) {
        if (t->shops[i].city == city) {
            if (first < 0)
                first = (int)i;
            n++;
        }
    }
    return first < 0 ? -1 : first + (int)bb_rng_below(g, (uint64_t)n);
}

/* ---- Turkish letters in UTF-8 ---- */

typedef struct tr_letter {
    const char *utf8;
    char ascii;     /* without its mark, same case */
    const char *up; /* upper case by Turkish rules */
} tr_letter;

static const tr_letter tr_letters[] = {
    {"ç", 'c', "Ç"}, {"Ç", 'C', "Ç"}, {"ğ", 'g', "Ğ"}, {"Ğ", 'G', "Ğ"}, {"ı", 'i', "I"},
    {"İ", 'I', "İ"}, {"ö", 'o', "Ö"}, {"Ö", 'O', "Ö"}, {"ş", 's', "Ş"}, {"Ş", 'S', "Ş"},
    {"ü", 'u', "Ü"}, {"Ü", 'U', "Ü"}, {"â", 'a', "Â"}, {"Â", 'A', "Â"}, {"î", 'i', "Î"},
    {"û", 'u', "Û"},
};

/* The Turkish letter at s (two bytes in UTF-8), or NULL. */
static const tr_letter *tr_at(const char *s)
{
    for (size_t i = 0; i < N_OF(tr_letters); i++)
        if (s[0] == tr_letters[i].utf8[0] && s[1] == tr_letters[i].utf8[1])
            return &tr_letters[i];
    return NULL;
}

/* Appends n bytes if they fit (keeping room for the NUL); returns 0 when they do not. */
static int put(char *out, size_t size, size_t *len, const char *p, size_t n)
{
    if (*len + n + 1 > size)
        return 0;
    memcpy(out + *len, p, n);
    *len += n;
    return 1;
}

/* The length of the UTF-8 sequence that starts with byte c. */
static size_t seq_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

enum { FOLD_ASCII, FOLD_ASCII_LOWER, UPPER_TR };

static size_t transform(const char *in, char *out, size_t size, int how)
{
    size_t len = 0;
    if (size == 0)
        return 0;
    while (*in) {
        const tr_letter *t = tr_at(in);
        size_t n = seq_len((unsigned char)*in);
        char c;
        int ok;
        if (t) {
            c = t->ascii;
            if (how == FOLD_ASCII_LOWER)
                c = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
            ok = how == UPPER_TR ? put(out, size, &len, t->up, strlen(t->up)) : put(out, size, &len, &c, 1);
            in += 2;
        } else if (n == 1) {
            c = *in;
            if (how == FOLD_ASCII_LOWER && c >= 'A' && c <= 'Z')
                c = (char)(c - 'A' + 'a');
            if (how == UPPER_TR && c == 'i')
                ok = put(out, size, &len, "İ", strlen("İ"));
            else {
                if (how == UPPER_TR && c >= 'a' && c <= 'z')
                    c = (char)(c - 'a' + 'A');
                ok = put(out, size, &len, &c, 1);
            }
            in++;
        } else {
            for (size_t k = 1; k < n; k++)
                if (!in[k]) /* truncated sequence: stop */
                    n = k;
            ok = put(out, size, &len, in, n);
            in += n;
        }
        if (!ok)
            break;
    }
    out[len] = '\0';
    return len;
}

size_t bb__fold_ascii_lower(const char *in, char *out, size_t size)
{
    return transform(in, out, size, FOLD_ASCII_LOWER);
}

size_t bb__fold_ascii(const char *in, char *out, size_t size)
{
    return transform(in, out, size, FOLD_ASCII);
}

size_t bb__upper_tr(const char *in, char *out, size_t size)
{
    return transform(in, out, size, UPPER_TR);
}
