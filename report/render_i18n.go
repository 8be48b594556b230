package report

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// messages are the summary's own words in nb, sv and en; reason, category
// and owner labels come from the taxonomy.
var messages = map[string][3]string{
	"title":                       {"Kontaktårsaker", "Kontaktorsaker", "Contact reasons"},
	"all_teams":                   {"alle team", "alla team", "all teams"},
	"team":                        {"team %s", "team %s", "team %s"},
	"contacts":                    {"kontakter", "kontakter", "contacts"},
	"contacts_one":                {"kontakt", "kontakt", "contact"},
	"so_far":                      {"hittil i dag", "hittills i dag", "so far today"},
	"weekday_mean":                {"snitt %d %s: %s, %s", "snitt %d %s: %s, %s", "mean of %d %s: %s, %s"},
	"period_mean":                 {"snitt %d perioder: %s, %s", "snitt %d perioder: %s, %s", "mean of %d periods: %s, %s"},
	"no_weekdays":                 {"ingen tidligere %s å sammenligne med", "inga tidigare %s att jämföra med", "no earlier %s to compare with"},
	"range":                       {"%s–%s (%d dager)", "%s–%s (%d dagar)", "%s–%s (%d days)"},
	"fix_first":                   {"Fiks først", "Åtgärda först", "Fix first"},
	"fix_first_line":              {"%d av %d irritasjonsårsaker = %s av irritasjonene", "%d av %d irritationsorsaker = %s av irritationerna", "%d of %d irritant reasons make up %s of irritant contacts"},
	"fix_first_min":               {"etter minutter: %d av %d = %s av minuttene", "efter minuter: %d av %d = %s av minuterna", "by minutes: %d of %d make up %s of the minutes"},
	"fix_first_7d":                {"7 dager: %d av %d = %s", "7 dagar: %d av %d = %s", "7 days: %d of %d make up %s"},
	"no_irritants":                {"ingen irritasjonsårsaker registrert", "inga irritationsorsaker registrerade", "no irritant reasons tagged"},
	"reason":                      {"Årsak", "Orsak", "Reason"},
	"count":                       {"Antall", "Antal", "Count"},
	"share":                       {"Andel", "Andel", "Share"},
	"median":                      {"Median", "Median", "Median"},
	"owner":                       {"Eier", "Ägare", "Owner"},
	"flag":                        {"Flagg", "Flagga", "Flag"},
	"new":                         {"ny", "ny", "new"},
	"more_reasons":                {"… og %d årsaker til (%s kontakter)", "… och %d orsaker till (%s kontakter)", "… and %d more reasons (%s contacts)"},
	"also_mentioned":              {"Også nevnt", "Även nämnt", "Also mentioned"},
	"flags":                       {"Økning og fall", "Ökning och minskning", "Spikes and drops"},
	"expected":                    {"ventet %s; ×%s; %s", "väntat %s; ×%s; %s", "expected %s; ×%s; %s"},
	"trend":                       {"7 dager: %s (ventet %s; ×%s; %s)", "7 dagar: %s (väntat %s; ×%s; %s)", "7 days: %s (expected %s; ×%s; %s)"},
	"volume_flag":                 {"Totalvolum", "Total volym", "Total volume"},
	"no_flags":                    {"ingen uvanlige endringer", "inga ovanliga förändringar", "no unusual changes"},
	"split":                       {"Irritasjon %s · verdi %s · ukodet («annet») %s", "Irritation %s · värde %s · okodat (”annat”) %s", "Irritant %s · value %s · uncoded (“other”) %s"},
	"split_28":                    {"(28 d: %s/%s/%s)", "(28 d: %s/%s/%s)", "(28 d: %s/%s/%s)"},
	"preventable":                 {"forebyggbart %s", "förebyggbart %s", "preventable %s"},
	"repeats":                     {"Gjentatte kontakter %d d: %s (samme kategori %s; dekning %s)", "Återkommande kontakter %d d: %s (samma kategori %s; täckning %s)", "Repeat contacts %d d: %s (same category %s; coverage %s)"},
	"repeats_rolling":             {"%d d: %s", "%d d: %s", "%d d: %s"},
	"chains":                      {"Kjeder", "Kedjor", "Chains"},
	"no_refs":                     {"Gjentatte kontakter: ingen kunderef registrert", "Återkommande kontakter: ingen kundreferens registrerad", "Repeat contacts: no customer refs recorded"},
	"fcr":                         {"FCR rapportert %s · målt (kohort %s) %s", "FCR rapporterad %s · mätt (kohort %s) %s", "FCR reported %s · measured (cohort %s) %s"},
	"fcr_same_category":           {"kun samme kategori", "endast samma kategori", "same category only"},
	"fcr_unknown":                 {"ukjent %s", "okänt %s", "unknown %s"},
	"fcr_lowest":                  {"Lavest målt FCR", "Lägst mätt FCR", "Lowest measured FCR"},
	"handle":                      {"Behandlingstid: median %s · snitt %s · %s min totalt", "Hanteringstid: median %s · snitt %s · %s min totalt", "Handle time: median %s · mean %s · %s min in all"},
	"handle_dropped":              {"%s utelatt (≤ 0 s eller > 4 t)", "%s utelämnade (≤ 0 s eller > 4 h)", "%s left out (≤ 0 s or > 4 h)"},
	"owners":                      {"Per eier", "Per ägare", "By owner"},
	"praise":                      {"Ros og forslag", "Beröm och förslag", "Praise and suggestions"},
	"praise_col":                  {"Ros", "Beröm", "Praise"},
	"praise_short":                {"ros %s", "beröm %s", "praise %s"},
	"no_praise":                   {"ingen ros eller forslag", "inget beröm eller förslag", "no praise or suggestions"},
	"health":                      {"Taksonomihelse", "Taxonomihälsa", "Taxonomy health"},
	"health_line":                 {"«annet» %s · ubrukte årsaker (%d d): %s · ukjent løst-status %s · kunderef %s", "”annat” %s · oanvända orsaker (%d d): %s · okänd lösningsstatus %s · kundref %s", "“other” %s · reasons unused (%d d): %s · unknown outcome %s · customer ref %s"},
	"recode":                      {"Til omkoding («annet»)", "Att koda om (”annat”)", "To recode (“other”)"},
	"more_notes":                  {"… og %s notater til", "… och %s anteckningar till", "… and %s more notes"},
	"unused":                      {"Ubrukt i %d dager", "Oanvänt i %d dagar", "Unused for %d days"},
	"taxonomy":                    {"taksonomi %s v%d", "taxonomi %s v%d", "taxonomy %s v%d"},
	"agents":                      {"Per agent", "Per agent", "By agent"},
	"hours":                       {"Per time", "Per timme", "By hour"},
	"days_series":                 {"Per dag", "Per dag", "By day"},
	"no_reason":                   {"(uten årsak)", "(utan orsak)", "(no reason)"},
	"uncoded":                     {"Ukodet", "Okodat", "Uncoded"},
	"no_owner":                    {"(uten eier)", "(utan ägare)", "(no owner)"},
	"na":                          {"–", "–", "–"},
	"minutes":                     {"Minutter", "Minuter", "Minutes"},
	"category":                    {"Kategori", "Kategori", "Category"},
	"categories":                  {"Per kategori", "Per kategori", "By category"},
	"catch_all_high":              {"høy «annet»-andel i %s", "hög ”annat”-andel i %s", "high “other” share in %s"},
	"repeat_reasons":              {"Oftest gjentatt", "Oftast återkommande", "Most repeated"},
	"baseline28":                  {"Ø28", "Ø28", "Ø28"},
	"catch_all":                   {"«Annet»", "”Annat”", "“Other”"},
	"repeat_rate":                 {"Gjentatt", "Återkom", "Repeat"},
	"warn":                        {"advarsel", "varning", "warning"},
	"alert":                       {"alarm", "larm", "alert"},
	"generated":                   {"Laget av whycall", "Skapad av whycall", "Made by whycall"},
	"notes":                       {"Notater", "Anteckningar", "Notes"},
	"overview":                    {"Oversikt", "Översikt", "Overview"},
	"kind_irritant":               {"Irritasjon", "Irritation", "Irritant"},
	"kind_value":                  {"Verdi", "Värde", "Value"},
	"top":                         {"Topp", "Topp", "Top"},
	"spikes_n":                    {"⚠%d", "⚠%d", "⚠%d"},
	"notice.no_contacts":          {"Ingen kontakter denne dagen.", "Inga kontakter denna dag.", "No contacts on this day."},
	"notice.partial_day":          {"Dagen er ikke over: tallene teller fortsatt.", "Dagen är inte slut: siffrorna räknas fortfarande.", "The day is not over: figures are still counting."},
	"notice.not_enough_history":   {"For lite historikk for økning/fall (%d av %d dager med data; trenger %d).", "För lite historik för ökning/minskning (%d av %d dagar med data; behöver %d).", "Not enough history for spikes and drops (%d of %d days with data; needs %d)."},
	"notice.low_volume":           {"Under %d kontakter per dag: flagg slår sjelden ut – se ukevisningen (--days 7).", "Under %d kontakter per dag: flaggor slår sällan ut – se veckovyn (--days 7).", "Under %d contacts a day: flags rarely fire – see the weekly view (--days 7)."},
	"notice.no_detail":            {"Lang periode: median, timer, gjentakelser og notater vises bare for opptil %d dager.", "Lång period: median, timmar, återkomster och anteckningar visas bara för upp till %d dagar.", "Long range: medians, hours, repeats and notes are shown for up to %d days only."},
	"notice.ref_coverage_low":     {"Under halvparten av kontaktene har kunderef: gjentakelser er usikre.", "Under hälften av kontakterna har kundreferens: återkomster är osäkra.", "Under half of the contacts have a customer ref: repeat figures are uncertain."},
	"notice.unused_needs_history": {"Ubrukte årsaker: trenger %d dager med data.", "Oanvända orsaker: behöver %d dagar med data.", "Unused reasons: needs %d days of data."},
	"notice.taxonomy_unreadable":  {"En lagret taksonomiversjon kan ikke leses; noen årsaker vises med id.", "En lagrad taxonomiversion kan inte läsas; vissa orsaker visas med id.", "A stored taxonomy version cannot be read; some reasons show their ids."},
}

// langIndex maps a locale to its column in messages.
func langIndex(lang string) int {
	switch lang {
	case "sv":
		return 1
	case "en":
		return 2
	}
	return 0
}

// msg returns message key in lang (the key itself if unknown, so a missing
// message shows instead of vanishing).
func msg(lang, key string) string {
	m, ok := messages[key]
	if !ok {
		return key
	}
	return m[langIndex(lang)]
}

// printer formats numbers, dates and messages in one locale: nb and sv
// write 14,8 % and 1 234; en writes 14.8% and 1,234.
type printer struct{ lang string }

func (p printer) msg(key string) string { return msg(p.lang, key) }

func (p printer) msgf(key string, args ...any) string { return fmt.Sprintf(msg(p.lang, key), args...) }

func (p printer) nordic() bool { return p.lang != "en" }

// num formats an integer with thousands separators.
func (p printer) num(n int) string {
	s := p.group(strconv.Itoa(abs(n)))
	if n < 0 {
		return "−" + s
	}
	return s
}

// group puts the language's thousands separator into a run of digits.
func (p printer) group(digits string) string {
	sep := ","
	if p.nordic() {
		sep = "\u00a0"
	}
	var b strings.Builder
	for i, r := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// dec formats x with n decimals, and thousands separators as num.
func (p printer) dec(x float64, n int) string {
	s := strconv.FormatFloat(x, 'f', n, 64)
	neg := strings.HasPrefix(s, "-")
	whole, frac, hasFrac := strings.Cut(strings.TrimPrefix(s, "-"), ".")
	s = p.group(whole)
	if hasFrac {
		point := "."
		if p.nordic() {
			point = ","
		}
		s += point + frac
	}
	if neg {
		return "−" + s
	}
	return s
}

// pct formats a share (0.148) as a percentage with n decimals.
func (p printer) pct(share float64, n int) string {
	if p.nordic() {
		return p.dec(share*100, n) + "\u00a0%"
	}
	return p.dec(share*100, n) + "%"
}

// pctp formats an optional share; nil shows as "–".
func (p printer) pctp(share *float64, n int) string {
	if share == nil {
		return p.msg("na")
	}
	return p.pct(*share, n)
}

// delta formats a relative change (+0.06 → "+6 %"); nil is "–", and isNew
// shows "new" for a zero baseline.
func (p printer) delta(d *float64, isNew bool) string {
	switch {
	case isNew:
		return p.msg("new")
	case d == nil:
		return p.msg("na")
	}
	switch r := math.Round(*d * 100); {
	case r > 0:
		return "+" + p.pct(*d, 0)
	case r == 0:
		return p.pct(0, 0) // not "−0 %"
	}
	return p.pct(*d, 0)
}

// pvalue formats a p-value: "p<0,001" below 0.001, else two significant
// digits.
func (p printer) pvalue(x float64) string {
	if x < 0.001 {
		return "p<" + p.dec(0.001, 3)
	}
	digits := max(2, 1-int(math.Floor(math.Log10(x))))
	return "p=" + p.dec(x, min(digits, 4))
}

// dur formats seconds as m:ss, or h:mm:ss from an hour.
func (p printer) dur(sec float64) string {
	s := int(math.Round(sec))
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// decp formats an optional number with n decimals; nil is "–".
func (p printer) decp(x *float64, n int) string {
	if x == nil {
		return p.msg("na")
	}
	return p.dec(*x, n)
}

// durp formats optional seconds.
func (p printer) durp(sec *float64) string {
	if sec == nil {
		return p.msg("na")
	}
	return p.dur(*sec)
}

var weekdays = map[string][7]string{
	"nb": {"søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"},
	"sv": {"söndag", "måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag"},
	"en": {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
}

var weekdaysPlural = map[string][7]string{
	"nb": {"søndager", "mandager", "tirsdager", "onsdager", "torsdager", "fredager", "lørdager"},
	"sv": {"söndagar", "måndagar", "tisdagar", "onsdagar", "torsdagar", "fredagar", "lördagar"},
	"en": {"Sundays", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays"},
}

func (p printer) locale() string {
	if _, ok := weekdays[p.lang]; ok {
		return p.lang
	}
	return "nb"
}

// date formats a day: "tirsdag 14.01.2026", "tisdag 2026-01-14",
// "Tuesday 14 Jan 2026".
func (p printer) date(d Day) string {
	wd := weekdays[p.locale()][d.Weekday()]
	switch p.lang {
	case "sv":
		return wd + " " + d.String()
	case "en":
		return fmt.Sprintf("%s %d %s %d", wd, d.Day, d.Month.String()[:3], d.Year)
	}
	return fmt.Sprintf("%s %02d.%02d.%d", wd, d.Day, int(d.Month), d.Year)
}

// shortDate formats a day without weekday: "07.01", "01-07", "7 Jan".
func (p printer) shortDate(d Day) string {
	switch p.lang {
	case "sv":
		return fmt.Sprintf("%02d-%02d", int(d.Month), d.Day)
	case "en":
		return fmt.Sprintf("%d %s", d.Day, d.Month.String()[:3])
	}
	return fmt.Sprintf("%02d.%02d", d.Day, int(d.Month))
}

// clock formats a note's time as HH:MM, with the short date when the
// summary spans days.
func (p printer) clock(t time.Time, withDate bool) string {
	if withDate {
		return p.shortDate(Day{t.Year(), t.Month(), t.Day()}) + " " + t.Format("15:04")
	}
	return t.Format("15:04")
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
