// i18n.js: the UI's words in Turkish and English, and numbers, money and dates in the chosen language's
// formats (Intl: tr-TR for Turkish, en-GB for English). The choice is kept in localStorage.

const LOCALES = {tr: 'tr-TR', en: 'en-GB'};

const WORDS = {
  tr: {
    'app.tagline': 'Bire bir pazarlama',
    'nav.dashboard': 'Gösterge paneli',
    'nav.customers': 'Müşteriler',
    'nav.signout': 'Çıkış',
    'lang.label': 'Dil',
    'signin.title': 'Oturum açın',
    'signin.name': 'Kullanıcı adı',
    'signin.password': 'Parola',
    'signin.submit': 'Oturum aç',
    'signin.failed': 'Kullanıcı adı veya parola yanlış.',
    'common.loading': 'Yükleniyor…',
    'common.error': 'Bir hata oldu: {msg}',
    'common.none': 'Yok',
    'common.unknown': '—',
    'customers.title': 'Müşteriler',
    'customers.search': 'Ad, e-posta, telefon veya müşteri no ile arayın',
    'customers.empty': 'Eşleşen müşteri yok.',
    'customers.segment': 'RFM segmenti',
    'customers.all_segments': 'Tüm segmentler',
    'customers.next': 'Sonraki sayfa',
    'customers.prev': 'Önceki sayfa',
    'customers.page': 'Sayfa {n}',
    'col.customer_id': 'Müşteri no',
    'col.name': 'Ad soyad',
    'col.email': 'E-posta',
    'col.phone': 'Telefon',
    'col.city': 'Şehir',
    'col.segment': 'Segment',
    'col.revenue': 'Ciro',
    'col.clv': 'Müşteri değeri (CLV)',
    'col.last_order': 'Son alışveriş',
    'customers.sort_name': 'Ada göre sırala (A-Z)',
    'customers.sort_desc': 'Büyükten küçüğe sırala; değeri olmayanlar sonda',
    'c360.back': '← Müşteriler',
    'c360.notfound': 'Böyle bir müşteri yok.',
    'c360.profile': 'Profil',
    'c360.summary': 'Sipariş özeti',
    'c360.scores': 'Puanlar',
    'c360.noscores': 'Bu müşteri için henüz puan yok (birebir analyze ile hesaplanır).',
    'c360.days': '{n} gün',
    'c360.timeline': 'Zaman çizelgesi',
    'c360.consents': 'İzinler',
    'c360.history': 'İzin geçmişi',
    'c360.identifiers': 'Kimlikler',
    'c360.attributes': 'Öznitelikler',
    'c360.merged_from': 'Birleştirilen kayıtlar',
    'field.birth_date': 'Doğum tarihi',
    'field.gender': 'Cinsiyet',
    'field.created_at': 'Kayıt',
    'field.updated_at': 'Güncelleme',
    'sum.count': 'Sipariş sayısı (iadeler dahil)',
    'sum.revenue': 'Ciro',
    'sum.margin': 'Kâr',
    'sum.first': 'İlk sipariş',
    'sum.last': 'Son sipariş',
    'tl.order': 'Sipariş {id}',
    'tl.return': 'İade {id}',
    'tl.lines': '{n} kalem',
    'tl.interaction': 'Etkileşim',
    'tl.survey': 'Anket: {survey}',
    'tl.score': 'Puan {score}',
    'tl.empty': 'Henüz sipariş veya etkileşim yok.',
    'consent.channel': 'Kanal',
    'consent.status': 'Durum',
    'consent.source': 'Kaynak',
    'consent.when': 'Tarih',
    'consent.granted': 'izin verdi',
    'consent.revoked': 'izni geri aldı',
    'consent.none': 'Kayıtlı izin yok.',
    'dash.title': 'Gösterge paneli',
    'dash.customers': 'Müşteri',
    'dash.active': 'Aktif müşteri payı',
    'dash.active_hint': 'son {days} günde alışveriş yapanlar (iade sayılmaz)',
    'dash.revenue': 'Ciro',
    'dash.orders': '{n} sipariş',
    'dash.clv': 'Müşteri yaşam boyu değeri (CLV) dağılımı',
    'dash.clv_none': 'CLV henüz hesaplanmadı (birebir analyze).',
    'dash.segments': 'RFM segmentine göre müşteri ve değer',
    'dash.segments_none': 'RFM segmentleri henüz hesaplanmadı (birebir analyze).',
    'dash.cohorts': 'Kohort elde tutma ısı haritası',
    'dash.cohorts_none': 'Henüz kohort verisi yok.',
    'dash.cohort': 'Kohort (ilk sipariş ayı)',
    'dash.size': 'Müşteri',
    'dash.heat_caption': 'Sütunlar: ilk siparişten sonraki ay (0 = ilk ay); hücre: o ay yeniden sipariş veren kohort payı.',
    'dash.unavailable': 'Gösterge paneli bu sunucuda yok.',
    'dash.customers_axis': 'Müşteri sayısı',
    'dash.value_axis': 'Ciro',
    'dash.model_run': 'Son model çalıştırması: {model}, {when}',
    'dash.nocharts': 'Grafik kitaplığı yüklenemedi; veriler tablo olarak gösteriliyor.',
    'role.admin': 'yönetici', 'role.marketer': 'pazarlamacı', 'role.analyst': 'analist', 'role.ingest': 'veri girişi',
  },
  en: {
    'app.tagline': 'One-to-one marketing',
    'nav.dashboard': 'Dashboard',
    'nav.customers': 'Customers',
    'nav.signout': 'Sign out',
    'lang.label': 'Language',
    'signin.title': 'Sign in',
    'signin.name': 'User name',
    'signin.password': 'Password',
    'signin.submit': 'Sign in',
    'signin.failed': 'Wrong user name or password.',
    'common.loading': 'Loading…',
    'common.error': 'Something went wrong: {msg}',
    'common.none': 'None',
    'common.unknown': '—',
    'customers.title': 'Customers',
    'customers.search': 'Search by name, email, phone or customer id',
    'customers.empty': 'No customer matches.',
    'customers.segment': 'RFM segment',
    'customers.all_segments': 'All segments',
    'customers.next': 'Next page',
    'customers.prev': 'Previous page',
    'customers.page': 'Page {n}',
    'col.customer_id': 'Customer id',
    'col.name': 'Name',
    'col.email': 'Email',
    'col.phone': 'Phone',
    'col.city': 'City',
    'col.segment': 'Segment',
    'col.revenue': 'Revenue',
    'col.clv': 'CLV',
    'col.last_order': 'Last purchase',
    'customers.sort_name': 'Sort by name (A-Z)',
    'customers.sort_desc': 'Sort highest first; those without a value last',
    'c360.back': '← Customers',
    'c360.notfound': 'There is no such customer.',
    'c360.profile': 'Profile',
    'c360.summary': 'Orders in short',
    'c360.scores': 'Scores',
    'c360.noscores': 'No scores for this customer yet (birebir analyze computes them).',
    'c360.days': '{n} days',
    'c360.timeline': 'Timeline',
    'c360.consents': 'Consents',
    'c360.history': 'Consent history',
    'c360.identifiers': 'Identifiers',
    'c360.attributes': 'Attributes',
    'c360.merged_from': 'Merged records',
    'field.birth_date': 'Birth date',
    'field.gender': 'Gender',
    'field.created_at': 'Registered',
    'field.updated_at': 'Updated',
    'sum.count': 'Orders (returns included)',
    'sum.revenue': 'Revenue',
    'sum.margin': 'Margin',
    'sum.first': 'First order',
    'sum.last': 'Last order',
    'tl.order': 'Order {id}',
    'tl.return': 'Return {id}',
    'tl.lines': '{n} lines',
    'tl.interaction': 'Interaction',
    'tl.survey': 'Survey: {survey}',
    'tl.score': 'Score {score}',
    'tl.empty': 'No orders or interactions yet.',
    'consent.channel': 'Channel',
    'consent.status': 'Status',
    'consent.source': 'Source',
    'consent.when': 'When',
    'consent.granted': 'granted',
    'consent.revoked': 'revoked',
    'consent.none': 'No consent on record.',
    'dash.title': 'Dashboard',
    'dash.customers': 'Customers',
    'dash.active': 'Active share',
    'dash.active_hint': 'bought in the last {days} days (returns do not count)',
    'dash.revenue': 'Revenue',
    'dash.orders': '{n} orders',
    'dash.clv': 'Customer lifetime value (CLV) distribution',
    'dash.clv_none': 'CLV is not computed yet (birebir analyze).',
    'dash.segments': 'Customers and value by RFM segment',
    'dash.segments_none': 'RFM segments are not computed yet (birebir analyze).',
    'dash.cohorts': 'Cohort retention heat map',
    'dash.cohorts_none': 'No cohort data yet.',
    'dash.cohort': 'Cohort (month of first order)',
    'dash.size': 'Customers',
    'dash.heat_caption': 'Columns: months since the first order (0 = that month); a cell: the share of the cohort who ordered in it.',
    'dash.unavailable': 'This server has no dashboard.',
    'dash.customers_axis': 'Customers',
    'dash.value_axis': 'Revenue',
    'dash.model_run': 'Latest model run: {model}, {when}',
    'dash.nocharts': 'The chart library did not load; the figures are shown as tables.',
    'role.admin': 'admin', 'role.marketer': 'marketer', 'role.analyst': 'analyst', 'role.ingest': 'ingest',
  },
};

// Each score's name and what it means, in plain words (the 360 page shows these beside the figures; in
// English the server's own one-line meaning is used when it gives one).
const SCORES = {
  tr: {
    rfm: ['RFM', 'Yakınlık (R), sıklık (F) ve harcama (M) puanları 1–5 arası; 5, o ölçüde en iyi beşte birlik dilimdir.'],
    segment: ['RFM segmenti', 'Yakınlık ve sıklık puanlarından çıkan müşteri grubu (düzenlenebilir R × F tablosu).'],
    recency_days: ['Son alışverişten beri', 'Son alışverişin (iade olmayan siparişin) üzerinden geçen gün sayısı.'],
    frequency: ['Alışveriş sayısı', 'Şimdiye kadarki alışverişler; iadeler sayılmaz.'],
    monetary: ['Toplam harcama', 'Şimdiye kadarki tüm siparişlerin tutarı.'],
    p_alive: ['Aktif olma olasılığı', 'Müşterinin hâlâ aktif olma, yani yeniden alışveriş yapma olasılığı.'],
    expected_purchases: ['Beklenen sipariş', 'Önümüzdeki {months} ayda beklenen sipariş sayısı.'],
    expected_value: ['Beklenen sipariş tutarı', 'Gelecekteki bir siparişin beklenen tutarı (Gamma-Gamma harcama modeli).'],
    clv: ['Yaşam boyu değer (CLV)', 'Önümüzdeki dönemde bu müşteriden beklenen, bugüne indirgenmiş kâr.'],
    tier: ['Kârlılık sınıfı', 'A: beklenen değerin %80\'ini getiren müşteriler, B: sonraki %15, C: kalan %5.'],
    churn_risk: ['Kaybetme riski', '1 − aktif olma olasılığı: %30\'un altı düşük, %70 ve üstü yüksek.'],
  },
  en: {
    rfm: ['RFM', 'Recency (R), frequency (F) and monetary (M) scores 1–5; 5 is the best fifth on that measure.'],
    segment: ['RFM segment', 'The group the recency and frequency scores put the customer in (the editable R × F grid).'],
    recency_days: ['Since the last purchase', 'Days since the last purchase (an order that is not a return).'],
    frequency: ['Purchases', 'Purchases so far; returns do not count.'],
    monetary: ['Spent', 'Revenue from all orders so far.'],
    p_alive: ['Probability active', 'The probability that the customer is still active, i.e. will buy again.'],
    expected_purchases: ['Expected orders', 'Orders expected over the next {months} months.'],
    expected_value: ['Expected order value', 'The expected value of one future order (Gamma-Gamma spend model).'],
    clv: ['Lifetime value (CLV)', 'The margin expected from this customer over the horizon, discounted to today.'],
    tier: ['Profitability tier', 'A: the customers who bring 80% of predicted value, B the next 15%, C the last 5%.'],
    churn_risk: ['Churn risk', '1 − P(alive) in buckets: low below 30%, high from 70%.'],
  },
};

const CHURN = {tr: {low: 'düşük', medium: 'orta', high: 'yüksek'}, en: {low: 'low', medium: 'medium', high: 'high'}};

let lang = (() => {
  try {
    const s = localStorage.getItem('bb.lang');
    if (s && WORDS[s]) return s;
  } catch (e) { /* storage may be off */ }
  return 'tr';
})();

export function getLang() {
  return lang;
}

export function setLang(l) {
  if (!WORDS[l]) return;
  lang = l;
  try {
    localStorage.setItem('bb.lang', l);
  } catch (e) { /* storage may be off */ }
  document.documentElement.lang = l;
}

export function locale() {
  return LOCALES[lang];
}

export function t(key, vars) {
  let s = WORDS[lang][key] ?? WORDS.en[key] ?? key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

// The stored codes of channels, directions, interaction kinds and identifier kinds in words; a code this
// table does not know is shown as it is.
const CODES = {
  tr: {web: 'web', mobile_app: 'mobil uygulama', store: 'mağaza', email: 'e-posta', sms: 'SMS', push: 'anlık bildirim',
    call: 'telefon', in: 'gelen', out: 'giden', campaign: 'kampanya', service: 'hizmet', complaint: 'şikâyet',
    complaint_followup: 'şikâyet takibi', visit: 'ziyaret', reply: 'yanıt', id: 'müşteri no', phone: 'telefon',
    card: 'kart'},
  en: {web: 'web', mobile_app: 'mobile app', store: 'store', email: 'email', sms: 'SMS', push: 'push notification',
    call: 'phone call', in: 'inbound', out: 'outbound', campaign: 'campaign', service: 'service', complaint: 'complaint',
    complaint_followup: 'complaint follow-up', visit: 'visit', reply: 'reply', id: 'customer id', phone: 'phone',
    card: 'card'},
};

export function code(c) {
  return c === null || c === undefined ? '' : (CODES[lang][c] ?? String(c));
}

// [label, meaning] of a score; vars fill {months}.
export function scoreText(key, vars) {
  const e = SCORES[lang][key];
  if (!e) return [key.replace(/_/g, ' '), null];
  return [e[0], e[1].replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? String(vars[k]) : m))];
}

export function churnWord(v) {
  return CHURN[lang][v] || v;
}

export function num(n, digits) {
  if (n === null || n === undefined || Number.isNaN(n)) return t('common.unknown');
  const o = digits === undefined ? {} : {minimumFractionDigits: digits, maximumFractionDigits: digits};
  return new Intl.NumberFormat(locale(), o).format(n);
}

export function percent(share, digits = 1) {
  if (share === null || share === undefined) return t('common.unknown');
  return new Intl.NumberFormat(locale(), {style: 'percent', minimumFractionDigits: digits,
    maximumFractionDigits: digits}).format(share);
}

// Money is held in minor units; the currency's own number of decimals says how many (TRY: 2).
export function money(minor, currency = 'TRY', compact = false) {
  if (minor === null || minor === undefined) return t('common.unknown');
  let f;
  try {
    f = new Intl.NumberFormat(locale(), {style: 'currency', currency,
      ...(compact ? {notation: 'compact', maximumFractionDigits: 1} : {})});
  } catch (e) {
    return `${num(minor / 100, 2)} ${currency}`;
  }
  const exp = new Intl.NumberFormat('en', {style: 'currency', currency}).resolvedOptions().maximumFractionDigits;
  return f.format(minor / 10 ** exp);
}

export function dateTime(iso) {
  if (!iso) return t('common.unknown');
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locale(), {dateStyle: 'medium', timeStyle: 'short'}).format(d);
}

export function date(iso) {
  if (!iso) return t('common.unknown');
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? iso + 'T00:00:00Z' : iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return new Intl.DateTimeFormat(locale(), {dateStyle: 'medium', timeZone: 'UTC'}).format(d);
}

// "2026-03" -> "Mart 2026"
export function month(ym) {
  const m = /^(\d{4})-(\d{2})/.exec(ym || '');
  if (!m) return String(ym ?? '');
  return new Intl.DateTimeFormat(locale(), {month: 'short', year: 'numeric', timeZone: 'UTC'})
    .format(new Date(Date.UTC(+m[1], +m[2] - 1, 1)));
}
