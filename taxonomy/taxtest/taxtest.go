// Package taxtest makes synthetic taxonomies for tests and benchmarks of the
// packages that use taxonomy: Generate writes the YAML of a valid taxonomy of
// any size, MustGenerate loads it.
package taxtest

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"whycall/taxonomy"
)

// word is one word in nb, sv and en.
type word struct{ nb, sv, en string }

// nouns and problems are combined into labels such as "Forsinket faktura".
var nouns = []word{
	{"faktura", "faktura", "invoice"}, {"levering", "leverans", "delivery"},
	{"betaling", "betalning", "payment"}, {"avtale", "avtal", "agreement"},
	{"pakke", "paket", "parcel"}, {"konto", "konto", "account"},
	{"pris", "pris", "price"}, {"retur", "retur", "return"},
	{"reklamasjon", "reklamation", "claim"}, {"abonnement", "abonnemang", "subscription"},
	{"måler", "mätare", "meter"}, {"strøm", "ström", "power"},
	{"nettside", "webbplats", "website"}, {"app", "app", "app"},
	{"bestilling", "beställning", "order"}, {"garanti", "garanti", "warranty"},
	{"montering", "montering", "installation"}, {"flytting", "flytt", "move"},
	{"innlogging", "inloggning", "login"}, {"passord", "lösenord", "password"},
	{"kampanje", "kampanj", "campaign"}, {"rabatt", "rabatt", "discount"},
	{"gebyr", "avgift", "fee"}, {"purring", "påminnelse", "reminder"},
	{"tilbud", "erbjudande", "offer"}, {"lager", "lager", "stock"},
	{"varsel", "avisering", "notice"}, {"kvittering", "kvitto", "receipt"},
	{"sjåfør", "chaufför", "driver"}, {"ruter", "router", "router"},
	{"kjøleskap", "kylskåp", "fridge"}, {"vaskemaskin", "tvättmaskin", "washer"},
}

var problems = []word{
	{"forsinket", "försenad", "late"}, {"feil", "fel", "wrong"},
	{"mangler", "saknas", "missing"}, {"uklar", "otydlig", "unclear"},
	{"endre", "ändra", "change"}, {"avbestille", "avbeställa", "cancel"},
	{"skadet", "skadad", "damaged"}, {"dobbel", "dubbel", "double"},
	{"tapt", "förlorad", "lost"}, {"ny", "ny", "new"},
	{"treg", "långsam", "slow"}, {"spørsmål om", "fråga om", "question about"},
	{"klage på", "klagomål på", "complaint about"}, {"ros for", "beröm för", "praise for"},
}

var (
	// categoryKeys are the 36 category hotkeys, in the order they are used.
	categoryKeys = "1234567890abcdefghijklmnopqrstuvwxyz"
	// reasonKeys are the 35 reason hotkeys; x is the catch-all's.
	reasonKeys = "abcdefghijklmnopqrstuvwyz0123456789"
	owners     = []string{"product", "operations", "logistics", "sales", "billing", "customer_service"}
	stages     = []string{"pre_purchase", "purchase", "delivery", "use", "billing", "support"}
	treatments = []string{"eliminate", "simplify", "automate"}
)

const header = `schema_version: 1
taxonomy:
  id: "generated"
  version: 1
  name: {nb: "Generert", sv: "Genererad", en: "Generated"}
locales: ["nb", "sv", "en"]
default_locale: "nb"
vocab:
  owners:
    product:          {nb: "Produkt",      sv: "Produkt",     en: "Product"}
    operations:       {nb: "Drift",        sv: "Drift",       en: "Operations"}
    logistics:        {nb: "Logistikk",    sv: "Logistik",    en: "Logistics"}
    sales:            {nb: "Salg",         sv: "Försäljning", en: "Sales"}
    billing:          {nb: "Fakturering",  sv: "Fakturering", en: "Billing"}
    customer_service: {nb: "Kundeservice", sv: "Kundservice", en: "Customer service"}
  stages:
    pre_purchase: {nb: "Før kjøp",    sv: "Före köp",    en: "Pre-purchase"}
    purchase:     {nb: "Kjøp",        sv: "Köp",         en: "Purchase"}
    delivery:     {nb: "Levering",    sv: "Leverans",    en: "Delivery"}
    use:          {nb: "Bruk",        sv: "Användning",  en: "Use"}
    billing:      {nb: "Fakturering", sv: "Fakturering", en: "Billing"}
    support:      {nb: "Kundestøtte", sv: "Kundsupport", en: "Support"}
  kinds:
    irritant: {nb: "Irritasjon", sv: "Irritation", en: "Irritant"}
    value:    {nb: "Verdi",      sv: "Värde",      en: "Value"}
  treatments:
    eliminate: {nb: "Fjern årsaken", sv: "Eliminera orsaken", en: "Eliminate"}
    simplify:  {nb: "Forenkle",      sv: "Förenkla",          en: "Simplify"}
    automate:  {nb: "Selvbetjening", sv: "Självservice",      en: "Automate"}
    leverage:  {nb: "Utnytt",        sv: "Utnyttja",          en: "Leverage"}
categories:
`

// Generate returns the YAML of a valid taxonomy with the given number of
// reasons (at least 1), spread evenly over up to 36 categories of about ten
// reasons each (hotkeys 1-9, 0, then a-z). Every category with two or more
// reasons ends with a catch-all on "x"; the first 35 other reasons of a
// category get hotkeys and the rest are reachable by search only. Labels are
// short nb/sv/en phrases ("Forsinket faktura"), so searches behave as on a
// real file. The output depends only on reasons.
func Generate(reasons int) []byte {
	reasons = max(reasons, 1)
	ncat := min(len(categoryKeys), (reasons+9)/10)
	var b strings.Builder
	b.Grow(600 * reasons)
	b.WriteString(header)
	n := 0 // reasons written so far
	for c := range ncat {
		size := (c+1)*reasons/ncat - c*reasons/ncat
		topic := nouns[c%len(nouns)]
		fmt.Fprintf(&b, "  - id: \"cat%02d_%s\"\n    hotkey: %q\n", c+1, snake(topic.en), categoryKeys[c:c+1])
		writeText(&b, "    ", "labels", word{
			capitalize(topic.nb) + " " + strconv.Itoa(c+1),
			capitalize(topic.sv) + " " + strconv.Itoa(c+1),
			capitalize(topic.en) + " " + strconv.Itoa(c+1),
		})
		b.WriteString("    reasons:\n")
		for i := range size {
			n++
			if size >= 2 && i == size-1 {
				writeCatchAll(&b, c, topic)
				continue
			}
			writeReason(&b, n, i)
		}
	}
	return []byte(b.String())
}

func writeReason(b *strings.Builder, n, i int) {
	p := problems[n%len(problems)]
	noun := nouns[(n/len(problems)+n)%len(nouns)]
	fmt.Fprintf(b, "      - id: \"r%04d_%s_%s\"\n", n, snake(p.en), snake(noun.en))
	if i < len(reasonKeys) {
		fmt.Fprintf(b, "        hotkey: %q\n", reasonKeys[i:i+1])
	}
	label := word{
		phrase(p.nb, noun.nb),
		phrase(p.sv, noun.sv),
		phrase(p.en, noun.en),
	}
	writeText(b, "        ", "labels", label)
	kind, treatment := "irritant", treatments[n%len(treatments)]
	if n%7 == 0 {
		kind, treatment = "value", "leverage"
	}
	fmt.Fprintf(b, "        owner: %q\n        stage: %q\n        kind: %q\n        treatment: %q\n",
		owners[n%len(owners)], stages[n%len(stages)], kind, treatment)
	writeText(b, "        ", "description", word{
		"Kunden ringer om: " + strings.ToLower(label.nb) + ".",
		"Kunden ringer om: " + strings.ToLower(label.sv) + ".",
		"The customer calls about: " + strings.ToLower(label.en) + ".",
	})
}

func writeCatchAll(b *strings.Builder, c int, topic word) {
	fmt.Fprintf(b, "      - id: \"cat%02d_other\"\n        hotkey: \"x\"\n        catch_all: true\n", c+1)
	writeText(b, "        ", "labels", word{
		phrase("annet om", topic.nb), phrase("annat om", topic.sv), phrase("other", topic.en),
	})
	b.WriteString("        owner: \"customer_service\"\n        stage: \"support\"\n        kind: \"irritant\"\n")
	writeText(b, "        ", "description", word{
		"Bare når ingen annen årsak passer.", "Bara när ingen annan orsak passar.", "Only when no other reason fits.",
	})
}

func writeText(b *strings.Builder, indent, key string, w word) {
	fmt.Fprintf(b, "%s%s: {nb: %q, sv: %q, en: %q}\n", indent, key, w.nb, w.sv, w.en)
}

// phrase makes a label of a problem and a noun, within the label limit.
func phrase(problem, noun string) string {
	s := capitalize(problem) + " " + noun
	if utf8.RuneCountInString(s) > taxonomy.MaxLabelRunes {
		s = string([]rune(s)[:taxonomy.MaxLabelRunes])
	}
	return s
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(string(r)) + s[n:]
}

func snake(s string) string { return strings.ReplaceAll(s, " ", "_") }

// MustGenerate loads Generate(reasons), failing tb if it does not load.
func MustGenerate(tb testing.TB, reasons int) *taxonomy.Taxonomy {
	tb.Helper()
	t, err := taxonomy.Load(fmt.Sprintf("generated-%d.yaml", reasons), Generate(reasons))
	if err != nil {
		tb.Fatalf("load generated taxonomy of %d reasons: %v", reasons, err)
	}
	return t
}
