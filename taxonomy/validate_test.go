package taxonomy_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"whycall/taxonomy"
)

// small is a valid taxonomy that every validation case breaks in one way.
const small = `schema_version: 1
taxonomy:
  id: "test"
  version: 1
  name: {nb: "Test", sv: "Test", en: "Test"}
locales: ["nb", "sv", "en"]
default_locale: "nb"
vocab:
  owners:
    product: {nb: "Produkt", sv: "Produkt", en: "Product"}
    logistics: {nb: "Logistikk", sv: "Logistik", en: "Logistics"}
    customer_service: {nb: "Kundeservice", sv: "Kundservice", en: "Customer service"}
  stages:
    delivery: {nb: "Levering", sv: "Leverans", en: "Delivery"}
    use: {nb: "Bruk", sv: "Användning", en: "Use"}
  kinds:
    irritant: {nb: "Irritasjon", sv: "Irritation", en: "Irritant"}
    value: {nb: "Verdi", sv: "Värde", en: "Value"}
  treatments:
    eliminate: {nb: "Fjern", sv: "Eliminera", en: "Eliminate"}
    simplify: {nb: "Forenkle", sv: "Förenkla", en: "Simplify"}
    automate: {nb: "Automatiser", sv: "Automatisera", en: "Automate"}
    leverage: {nb: "Utnytt", sv: "Utnyttja", en: "Leverage"}
categories:
  - id: "delivery"
    hotkey: "3"
    labels: {nb: "Levering", sv: "Leverans", en: "Delivery"}
    reasons:
      - id: "delivery_late"
        hotkey: "f"
        labels: {nb: "Forsinket levering", sv: "Försenad leverans", en: "Late delivery"}
        description: {nb: "Lovet dag er passert.", sv: "Utlovad dag har passerat.", en: "Promised day passed."}
        owner: "logistics"
        stage: "delivery"
        kind: "irritant"
        treatment: "eliminate"
      - id: "delivery_damaged"
        hotkey: "d"
        labels: {nb: "Skadet vare (knust glass/væske)", sv: "Skadad vara", en: "Damaged item"}
        description: {nb: "Varen kom skadet.", sv: "Varan kom skadad.", en: "Item arrived damaged."}
        owner: "logistics"
        stage: "delivery"
        kind: "irritant"
        treatment: "eliminate"
      - id: "delivery_slow_old"
        hotkey: "s"
        deprecated: true
        labels: {nb: "Treg levering", sv: "Långsam leverans", en: "Slow delivery"}
        description: {nb: "Erstattet av delivery_late.", sv: "Ersatt av delivery_late.", en: "Replaced by delivery_late."}
        owner: "logistics"
        stage: "delivery"
        kind: "irritant"
        treatment: "eliminate"
      - id: "delivery_status"
        hotkey: "s"
        labels: {nb: "Hvor er varen min?", sv: "Var är min vara?", en: "Where is my order?"}
        description: {nb: "Kunden spør hvor varen er.", sv: "Kunden frågar var varan är.", en: "Customer asks where it is."}
        owner: "logistics"
        stage: "delivery"
        kind: "irritant"
        treatment: "automate"
      - id: "delivery_other"
        hotkey: "x"
        catch_all: true
        labels: {nb: "Annet om levering", sv: "Annat om leverans", en: "Other delivery issue"}
        description: {nb: "Bare når ingen annen passer.", sv: "Bara när ingen annan passar.", en: "Only when nothing else fits."}
        owner: "customer_service"
        stage: "delivery"
        kind: "irritant"
  - id: "feedback"
    hotkey: "9"
    labels: {nb: "Ros og forslag", sv: "Beröm och förslag", en: "Praise and suggestions"}
    reasons:
      - id: "praise"
        hotkey: "p"
        labels: {nb: "Ros", sv: "Beröm", en: "Praise"}
        description: {nb: "Kunden roser oss.", sv: "Kunden berömmer oss.", en: "Customer praises us."}
        owner: "customer_service"
        stage: "use"
        kind: "value"
        treatment: "leverage"
      - id: "search_only"
        labels: {nb: "Bare via søk", sv: "Bara via sök", en: "Search only"}
        description: {nb: "Har ingen hurtigtast.", sv: "Har ingen snabbtangent.", en: "Has no hotkey."}
        owner: "product"
        stage: "use"
        kind: "value"
        treatment: "leverage"
`

// edit replaces the first old after the first anchor (from the start if
// anchor is empty) with new.
type edit struct{ anchor, old, new string }

func apply(t testing.TB, doc string, edits ...edit) string {
	t.Helper()
	for _, e := range edits {
		from := strings.Index(doc, e.anchor)
		if from < 0 {
			t.Fatalf("anchor %q not in document", e.anchor)
		}
		i := strings.Index(doc[from:], e.old)
		if i < 0 {
			t.Fatalf("%q not after anchor %q", e.old, e.anchor)
		}
		i += from
		doc = doc[:i] + e.new + doc[i+len(e.old):]
	}
	return doc
}

// lineOf returns the line of the first marker after anchor in doc.
func lineOf(t *testing.T, doc, anchor, marker string) int {
	t.Helper()
	from := strings.Index(doc, anchor)
	i := strings.Index(doc[max(from, 0):], marker)
	if from < 0 || i < 0 {
		t.Fatalf("marker %q after %q not in document", marker, anchor)
	}
	return strings.Count(doc[:from+i], "\n") + 1
}

func problemsOf(t *testing.T, doc string) taxonomy.Problems {
	t.Helper()
	tax, err := taxonomy.Load("taxonomy.yaml", []byte(doc))
	if err == nil {
		t.Fatalf("Load accepted the document:\n%s", doc)
	}
	if tax != nil {
		t.Errorf("Load returned a taxonomy along with error %v", err)
	}
	var ps taxonomy.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load error is %T, want taxonomy.Problems: %v", err, err)
	}
	return ps
}

func TestTheSmallFixtureIsValid(t *testing.T) {
	if _, err := taxonomy.Load("taxonomy.yaml", []byte(small)); err != nil {
		t.Fatalf("Load: %v", err)
	}
}

// validationCase breaks the small fixture with edits and names the problem
// that Load must report.
type validationCase struct {
	name  string
	edits []edit
	// The wanted problem is at the line of marker (first after lineAnchor),
	// names field (and where), and says msg.
	lineAnchor, marker string
	field, where, msg  string
	count              int // problems in all; 0 means 1
}

// validationCases has one case per validation rule; they seed FuzzLoad too.
var validationCases = []validationCase{
	{
		name:       "an unknown top-level key",
		edits:      []edit{{"", "locales:", "colour: \"red\"\nlocales:"}},
		lineAnchor: "", marker: "colour:",
		field: "colour", msg: "unknown key 'colour' at the top level",
	},
	{
		name:       "an unknown key in the taxonomy header",
		edits:      []edit{{"", "  version: 1\n", "  version: 1\n  author: \"me\"\n"}},
		lineAnchor: "", marker: "author:",
		field: "taxonomy.author", msg: "unknown key 'author' in taxonomy",
	},
	{
		name:       "an unknown key in vocab",
		edits:      []edit{{"", "  kinds:", "  colours: {}\n  kinds:"}},
		lineAnchor: "", marker: "colours:",
		field: "vocab.colours", msg: "unknown key 'colours' in vocab",
	},
	{
		name:       "an unknown key in a category, with a suggestion",
		edits:      []edit{{`- id: "delivery"`, `hotkey: "3"`, `hotkey: "3"` + "\n    label: {}"}},
		lineAnchor: `- id: "delivery"`, marker: "label:",
		field: "label", where: "category 'delivery'", msg: "unknown key 'label'; did you mean 'labels'?",
	},
	{
		name:       "a misspelt key in a reason",
		edits:      []edit{{`"delivery_late"`, `treatment: "eliminate"`, `treatment: "eliminate"` + "\n        ownr: \"product\""}},
		lineAnchor: `"delivery_late"`, marker: "ownr:",
		field: "ownr", where: "reason 'delivery_late'", msg: "unknown key 'ownr'; did you mean 'owner'?",
	},
	{
		name:       "a label in a locale that is not declared",
		edits:      []edit{{`"delivery_late"`, `en: "Late delivery"`, `en: "Late delivery", de: "Verspätung"`}},
		lineAnchor: `"delivery_late"`, marker: "labels:",
		field: "labels.de", where: "reason 'delivery_late'", msg: "locale 'de' in labels is not in locales (nb, sv, en)",
	},
	{
		name:       "a key twice in one mapping",
		edits:      []edit{{`"delivery_late"`, `stage: "delivery"`, `stage: "delivery"` + "\n        owner: \"product\""}},
		lineAnchor: `stage: "delivery"`, marker: `owner: "product"`,
		field: "owner", where: "reason 'delivery_late'", msg: "key 'owner' appears twice",
	},
	{
		name:       "a reason id used twice",
		edits:      []edit{{"", `id: "praise"`, `id: "delivery_late"`}},
		lineAnchor: `- id: "feedback"`, marker: `id: "delivery_late"`,
		field: "id", where: "reason 'delivery_late'",
		msg: "id 'delivery_late' is already used by reason 'delivery_late' in category 'delivery' (line 29)",
	},
	{
		name:       "a reason id that is a category id",
		edits:      []edit{{"", `id: "praise"`, `id: "delivery"`}},
		lineAnchor: `- id: "feedback"`, marker: `id: "delivery"`,
		field: "id", where: "reason 'delivery'",
		msg: "id 'delivery' is already used by category 'delivery' (line 25)",
	},
	{
		name:       "a duplicate reason hotkey among siblings",
		edits:      []edit{{`"delivery_damaged"`, `hotkey: "d"`, `hotkey: "f"`}},
		lineAnchor: `"delivery_damaged"`, marker: `hotkey: "f"`,
		field: "hotkey", where: "reason 'delivery_damaged'",
		msg: "hotkey 'f' already used by 'delivery_late' in category 'delivery'",
	},
	{
		name:       "a duplicate category hotkey",
		edits:      []edit{{`- id: "feedback"`, `hotkey: "9"`, `hotkey: "3"`}},
		lineAnchor: `- id: "feedback"`, marker: `hotkey: "3"`,
		field: "hotkey", where: "category 'feedback'", msg: "hotkey '3' already used by category 'delivery'",
	},
	{
		name:       "a capital hotkey",
		edits:      []edit{{`"delivery_late"`, `hotkey: "f"`, `hotkey: "F"`}},
		lineAnchor: `"delivery_late"`, marker: `hotkey: "F"`,
		field: "hotkey", where: "reason 'delivery_late'", msg: "hotkey 'F' must be one character, 0-9 or a-z",
	},
	{
		name:       "a hotkey outside ASCII",
		edits:      []edit{{`"delivery_late"`, `hotkey: "f"`, `hotkey: "ø"`}},
		lineAnchor: `"delivery_late"`, marker: `hotkey: "ø"`,
		field: "hotkey", where: "reason 'delivery_late'", msg: "hotkey 'ø' must be one character",
	},
	{
		name:       "a two-character category hotkey",
		edits:      []edit{{`- id: "feedback"`, `hotkey: "9"`, `hotkey: "10"`}},
		lineAnchor: `- id: "feedback"`, marker: `hotkey: "10"`,
		field: "hotkey", where: "category 'feedback'", msg: "hotkey '10' must be one character",
	},
	{
		name:       "an unquoted hotkey",
		edits:      []edit{{`- id: "feedback"`, `hotkey: "9"`, `hotkey: 9`}},
		lineAnchor: `- id: "feedback"`, marker: `hotkey: 9`,
		field: "hotkey", where: "category 'feedback'", msg: `hotkey must be a string, not a number (9); put it in quotes`,
	},
	{
		name:       "a category without a hotkey",
		edits:      []edit{{`- id: "feedback"`, "    hotkey: \"9\"\n", ""}},
		lineAnchor: "", marker: `- id: "feedback"`,
		field: "hotkey", where: "category 'feedback'", msg: "missing required key 'hotkey'",
	},
	{
		name:       "hotkey x on a reason that is not the catch-all",
		edits:      []edit{{`"praise"`, `hotkey: "p"`, `hotkey: "x"`}},
		lineAnchor: `"praise"`, marker: `hotkey: "x"`,
		field: "hotkey", where: "reason 'praise'", msg: "hotkey 'x' is reserved for the category's catch-all",
	},
	{
		name:       "a catch-all on another hotkey",
		edits:      []edit{{`"delivery_other"`, `hotkey: "x"`, `hotkey: "o"`}},
		lineAnchor: `"delivery_other"`, marker: `hotkey: "o"`,
		field: "hotkey", where: "reason 'delivery_other'", msg: "a catch-all must have hotkey 'x'",
	},
	{
		name:       "a category label missing a locale",
		edits:      []edit{{`- id: "delivery"`, `, sv: "Leverans"`, ""}},
		lineAnchor: `- id: "delivery"`, marker: "labels:",
		field: "labels.sv", where: "category 'delivery'", msg: "labels has no 'sv' entry; every locale (nb, sv, en) needs one",
	},
	{
		name:       "a reason label missing a locale",
		edits:      []edit{{`"delivery_late"`, `, en: "Late delivery"`, ""}},
		lineAnchor: `"delivery_late"`, marker: "labels:",
		field: "labels.en", where: "reason 'delivery_late'", msg: "labels has no 'en' entry",
	},
	{
		name:       "a description missing a locale",
		edits:      []edit{{`"praise"`, `nb: "Kunden roser oss.", `, ""}},
		lineAnchor: `"praise"`, marker: "description:",
		field: "description.nb", where: "reason 'praise'", msg: "description has no 'nb' entry",
	},
	{
		name:       "a reason without a description",
		edits:      []edit{{`"praise"`, "        description: {nb: \"Kunden roser oss.\", sv: \"Kunden berömmer oss.\", en: \"Customer praises us.\"}\n", ""}},
		lineAnchor: "", marker: `- id: "praise"`,
		field: "description", where: "reason 'praise'", msg: "missing required key 'description'",
	},
	{
		name:       "an empty label",
		edits:      []edit{{`"praise"`, `en: "Praise"`, `en: "  "`}},
		lineAnchor: `"praise"`, marker: "labels:",
		field: "labels.en", where: "reason 'praise'", msg: "labels.en is empty",
	},
	{
		name:       "a vocabulary label missing a locale",
		edits:      []edit{{"", `use: {nb: "Bruk", sv: "Användning", en: "Use"}`, `use: {nb: "Bruk", en: "Use"}`}},
		lineAnchor: "", marker: "use: {",
		field: "vocab.stages.use.sv", msg: "vocab.stages.use has no 'sv' entry",
	},
	{
		name:       "a label over 40 characters",
		edits:      []edit{{`"praise"`, `en: "Praise"`, `en: "Praise for the helpful and friendly people on the phone"`}},
		lineAnchor: `"praise"`, marker: "labels:",
		field: "labels.en", where: "reason 'praise'", msg: "is 55 characters; the limit is 40",
	},
	{
		name:       "an owner outside the vocabulary",
		edits:      []edit{{`"praise"`, `owner: "customer_service"`, `owner: "legal"`}},
		lineAnchor: `"praise"`, marker: `owner: "legal"`,
		field: "owner", where: "reason 'praise'", msg: "owner 'legal' is not in vocab.owners (product, logistics, customer_service)",
	},
	{
		name:       "a stage outside the vocabulary",
		edits:      []edit{{`"praise"`, `stage: "use"`, `stage: "after_sales"`}},
		lineAnchor: `"praise"`, marker: `stage: "after_sales"`,
		field: "stage", where: "reason 'praise'", msg: "stage 'after_sales' is not in vocab.stages (delivery, use)",
	},
	{
		name:       "a kind outside the vocabulary",
		edits:      []edit{{`"delivery_late"`, `kind: "irritant"`, `kind: "annoying"`}},
		lineAnchor: `"delivery_late"`, marker: `kind: "annoying"`,
		field: "kind", where: "reason 'delivery_late'", msg: "kind 'annoying' is not in vocab.kinds (irritant, value)",
	},
	{
		name:       "a treatment outside the vocabulary",
		edits:      []edit{{`"delivery_late"`, `treatment: "eliminate"`, `treatment: "ignore"`}},
		lineAnchor: `"delivery_late"`, marker: `treatment: "ignore"`,
		field: "treatment", where: "reason 'delivery_late'", msg: "treatment 'ignore' is not in vocab.treatments",
	},
	{
		name:       "a vocabulary of kinds with an extra kind",
		edits:      []edit{{"", "  treatments:", "    neutral: {nb: \"Nøytral\", sv: \"Neutral\", en: \"Neutral\"}\n  treatments:"}},
		lineAnchor: "", marker: "neutral:",
		field: "vocab.kinds.neutral", msg: "'neutral' is not one of the fixed vocab.kinds (irritant, value)",
	},
	{
		name:       "a vocabulary of treatments without leverage",
		edits:      []edit{{"", "    leverage: {nb: \"Utnytt\", sv: \"Utnyttja\", en: \"Leverage\"}\n", ""}},
		lineAnchor: "", marker: "  treatments:",
		field: "vocab.treatments.leverage", msg: "vocab.treatments is missing 'leverage'",
		count: 3, // and both value reasons name a treatment that no longer exists
	},
	{
		name:       "a category with an empty list of reasons",
		edits:      []edit{{`- id: "feedback"`, "    reasons:\n", "    reasons: []\n    old_reasons:\n"}},
		lineAnchor: `- id: "feedback"`, marker: "reasons: []",
		field: "reasons", where: "category 'feedback'", msg: "reasons is empty",
		count: 2, // old_reasons is an unknown key
	},
	{
		name: "a category whose reasons are all deprecated",
		edits: []edit{
			{`"praise"`, `hotkey: "p"`, `hotkey: "p"` + "\n        deprecated: true"},
			{`"search_only"`, `labels:`, "deprecated: true\n        labels:"},
		},
		lineAnchor: `- id: "feedback"`, marker: "reasons:",
		field: "reasons", where: "category 'feedback'", msg: "every reason in category 'feedback' is deprecated",
	},
	{
		name:       "a second catch-all in a category",
		edits:      []edit{{`"delivery_damaged"`, `hotkey: "d"`, "hotkey: \"x\"\n        catch_all: true"}, {`"delivery_damaged"`, "        treatment: \"eliminate\"\n", ""}},
		lineAnchor: `"delivery_other"`, marker: "catch_all: true",
		field: "catch_all", where: "reason 'delivery_other'",
		msg: "category 'delivery' already has a catch-all, 'delivery_damaged' (line 37); one per category",
	},
	{
		name:       "a value reason whose treatment is not leverage",
		edits:      []edit{{`"praise"`, `treatment: "leverage"`, `treatment: "simplify"`}},
		lineAnchor: `"praise"`, marker: `treatment: "simplify"`,
		field: "treatment", where: "reason 'praise'", msg: "treatment 'simplify' with kind 'value'; value contacts take treatment 'leverage'",
	},
	{
		name:       "a value reason without a treatment",
		edits:      []edit{{`"praise"`, "        treatment: \"leverage\"\n", ""}},
		lineAnchor: `"praise"`, marker: `kind: "value"`,
		field: "treatment", where: "reason 'praise'", msg: "kind 'value' needs treatment 'leverage'",
	},
	{
		name:       "an irritant with treatment leverage",
		edits:      []edit{{`"delivery_late"`, `treatment: "eliminate"`, `treatment: "leverage"`}},
		lineAnchor: `"delivery_late"`, marker: `treatment: "leverage"`,
		field: "treatment", where: "reason 'delivery_late'", msg: "treatment 'leverage' is only for kind 'value', not 'irritant'",
	},
	{
		name:       "a catch-all with a treatment",
		edits:      []edit{{`"delivery_other"`, `kind: "irritant"`, "kind: \"irritant\"\n        treatment: \"eliminate\""}},
		lineAnchor: `"delivery_other"`, marker: `treatment: "eliminate"`,
		field: "treatment", where: "reason 'delivery_other'", msg: "a catch-all has no treatment",
	},
	{
		name:       "schema_version 2",
		edits:      []edit{{"", "schema_version: 1", "schema_version: 2"}},
		lineAnchor: "", marker: "schema_version:",
		field: "schema_version", msg: "schema_version is 2; this version of whycall reads schema_version 1",
	},
	{
		name:       "schema_version as a string",
		edits:      []edit{{"", "schema_version: 1", `schema_version: "one"`}},
		lineAnchor: "", marker: "schema_version:",
		field: "schema_version", msg: "schema_version must be a whole number, not a string",
	},
	{
		name:       "a default locale that is not declared",
		edits:      []edit{{"", `default_locale: "nb"`, `default_locale: "da"`}},
		lineAnchor: "", marker: "default_locale:",
		field: "default_locale", msg: "default_locale 'da' is not in locales (nb, sv, en)",
	},
	{
		name:       "a locale listed twice",
		edits:      []edit{{"", `locales: ["nb", "sv", "en"]`, `locales: ["nb", "sv", "en", "sv"]`}},
		lineAnchor: "", marker: "locales:",
		field: "locales", msg: "locale 'sv' is listed twice",
	},
	{
		name:       "a locale that is not a language code",
		edits:      []edit{{"", `locales: ["nb", "sv", "en"]`, `locales: ["nb", "sv", "en", "Norsk"]`}},
		lineAnchor: "", marker: "locales:",
		field: "locales", msg: "locale 'Norsk' must be a lower-case language code",
	},
	{
		name:       "an empty list of locales, once",
		edits:      []edit{{"", `locales: ["nb", "sv", "en"]`, `locales: []`}},
		lineAnchor: "", marker: "locales:",
		field: "locales", msg: "locales is empty",
	},
	{
		name:       "a missing top-level key",
		edits:      []edit{{"", "default_locale: \"nb\"\n", ""}},
		lineAnchor: "", marker: "schema_version:",
		field: "default_locale", msg: "missing required key 'default_locale'",
	},
	{
		name:       "a reason id that is not snake_case",
		edits:      []edit{{"", `id: "delivery_status"`, `id: "Delivery-Status"`}},
		lineAnchor: `"delivery_slow_old"`, marker: `id: "Delivery-Status"`,
		field: "id", where: "reason 'Delivery-Status'", msg: "id 'Delivery-Status' must be snake_case ASCII",
	},
	{
		name:       "a category id with a double underscore",
		edits:      []edit{{"", `- id: "feedback"`, `- id: "feed__back"`}},
		lineAnchor: "", marker: `- id: "feed__back"`,
		field: "id", where: "category 'feed__back'", msg: "id 'feed__back' must be snake_case ASCII",
	},
	{
		name:       "a taxonomy id with a capital",
		edits:      []edit{{"", `id: "test"`, `id: "Test"`}},
		lineAnchor: "", marker: `id: "Test"`,
		field: "taxonomy.id", msg: "taxonomy.id 'Test' must be snake_case ASCII",
	},
	{
		name:       "taxonomy version 0",
		edits:      []edit{{"", "  version: 1", "  version: 0"}},
		lineAnchor: "", marker: "version: 0",
		field: "taxonomy.version", msg: "taxonomy.version is 0; it starts at 1",
	},
	{
		name:       "labels written as a string",
		edits:      []edit{{`"praise"`, `labels: {nb: "Ros", sv: "Beröm", en: "Praise"}`, `labels: "Ros"`}},
		lineAnchor: `"praise"`, marker: "labels:",
		field: "labels", where: "reason 'praise'", msg: "labels must be a mapping (key: value), not a string",
	},
	{
		name:       "reasons written as a mapping",
		edits:      []edit{{`- id: "feedback"`, "    reasons:\n", "    reasons: {}\n    old:\n"}},
		lineAnchor: `- id: "feedback"`, marker: "reasons: {}",
		field: "reasons", where: "category 'feedback'", msg: "reasons must be a list, not a mapping",
		count: 2, // old is an unknown key
	},
	{
		name:       "deprecated as a word",
		edits:      []edit{{`"delivery_slow_old"`, "deprecated: true", `deprecated: "yes"`}},
		lineAnchor: `"delivery_slow_old"`, marker: "deprecated:",
		field: "deprecated", where: "reason 'delivery_slow_old'", msg: "deprecated must be true or false, not a string",
		count: 2, // and so the reason is offered, and its hotkey clashes
	},
	{
		name:       "a category that is a string",
		edits:      []edit{{"", `  - id: "feedback"`, "  - \"misc\"\n  - id: \"feedback\""}},
		lineAnchor: "", marker: `- "misc"`,
		field: "", where: "category #2", msg: "category #2 must be a mapping (key: value), not a string",
	},
	{
		name:       "an alias",
		edits:      []edit{{"", `name: {nb: "Test", sv: "Test", en: "Test"}`, `name: &n {nb: "Test", sv: "Test", en: "Test"}`}, {`"praise"`, `labels: {nb: "Ros", sv: "Beröm", en: "Praise"}`, `labels: *n`}},
		lineAnchor: `"praise"`, marker: "labels: *n",
		field: "labels", where: "reason 'praise'", msg: "anchors and aliases are not supported",
	},
	{
		name:       "malformed YAML",
		edits:      []edit{{`"praise"`, `labels: {nb: "Ros", sv: "Beröm", en: "Praise"}`, `labels: {nb: "Ros", sv: "Beröm", en: "Praise"`}},
		lineAnchor: `"praise"`, marker: "labels: {",
		field: "", msg: "malformed YAML: did not find expected ',' or '}'",
	},
	{
		name:       "a list item inside a mapping",
		edits:      []edit{{"", "default_locale: \"nb\"\n", "default_locale: \"nb\"\n- nb\n"}},
		lineAnchor: "", marker: "- nb",
		field: "", msg: "malformed YAML: did not find expected key",
	},
	{
		name:       "a tab in the indentation",
		edits:      []edit{{`"praise"`, "        owner:", "\towner:"}},
		lineAnchor: `"praise"`, marker: "\towner:",
		field: "", msg: "malformed YAML: found character that cannot start any token",
	},
	{
		name:       "a second document",
		edits:      []edit{{"", "schema_version: 1\n", "schema_version: 1\n---\nschema_version: 1\n"}},
		lineAnchor: "", marker: "---",
		field: "", msg: "a second YAML document (---) follows",
		// The first document is only "schema_version: 1"; the second is
		// not read, so only this problem is reported.
	},
}

func TestValidationRejects(t *testing.T) {
	for _, tc := range validationCases {
		t.Run("it rejects "+tc.name, func(t *testing.T) {
			doc := apply(t, small, tc.edits...)
			ps := problemsOf(t, doc)
			want := max(tc.count, 1)
			if len(ps) != want {
				t.Errorf("got %d problems, want %d:\n%v", len(ps), want, ps)
			}
			line := lineOf(t, doc, tc.lineAnchor, tc.marker)
			for _, p := range ps {
				if p.Line == line && p.Field == tc.field && p.Where == tc.where && strings.Contains(p.Msg, tc.msg) {
					if p.File != "taxonomy.yaml" {
						t.Errorf("problem names file %q, want taxonomy.yaml", p.File)
					}
					return
				}
			}
			t.Errorf("no problem at line %d, field %q, where %q, saying %q; got:\n%s", line, tc.field, tc.where, tc.msg, dump(ps))
		})
	}
}

func dump(ps taxonomy.Problems) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "  line %d, field %q, where %q: %s\n", p.Line, p.Field, p.Where, p.Msg)
	}
	return b.String()
}

func TestItAcceptsWhatTheSchemaAllows(t *testing.T) {
	cases := []struct {
		name  string
		edits []edit
	}{
		{"a reason without a hotkey (reachable by search only)", nil},
		{"a deprecated reason whose hotkey an offered sibling reuses", nil},
		{"an irritant without a treatment", []edit{{`"delivery_late"`, "        treatment: \"eliminate\"\n", ""}}},
		{"a category without a catch-all", nil}, // feedback has none
		{"comments and block-style texts", []edit{{`"praise"`, `labels: {nb: "Ros", sv: "Beröm", en: "Praise"}`, "labels:   # shown in the menu\n          nb: Ros\n          sv: Beröm\n          en: >-\n            Praise"}}},
		{"a taxonomy without a name", []edit{{"", "  name: {nb: \"Test\", sv: \"Test\", en: \"Test\"}\n", ""}}},
		{"a label of exactly 40 characters", []edit{{`"praise"`, `en: "Praise"`, `en: "` + strings.Repeat("å", 40) + `"`}}},
		{"a single locale", []edit{{"", `locales: ["nb", "sv", "en"]`, `locales: ["nb"]`}}},
	}
	for _, tc := range cases {
		t.Run("it accepts "+tc.name, func(t *testing.T) {
			doc := apply(t, small, tc.edits...)
			if tc.name == "a single locale" {
				doc = onlyNB(doc)
			}
			if _, err := taxonomy.Load("taxonomy.yaml", []byte(doc)); err != nil {
				t.Fatalf("Load: %v", err)
			}
		})
	}
}

// onlyNB drops the sv and en entries of every text in the small fixture.
func onlyNB(doc string) string {
	var b strings.Builder
	for line := range strings.Lines(doc) {
		if i := strings.Index(line, `, sv: "`); i >= 0 && strings.HasSuffix(strings.TrimSpace(line), "}") {
			line = line[:i] + "}\n"
		}
		b.WriteString(line)
	}
	return b.String()
}

// TestBothErrorsOfTheAcceptanceFile is the acceptance case: a
// duplicate sibling hotkey and an unknown owner are both reported, in line
// order, with file and line.
func TestBothErrorsOfTheAcceptanceFile(t *testing.T) {
	doc := apply(t, small,
		edit{`"delivery_damaged"`, `hotkey: "d"`, `hotkey: "f"`},
		edit{`"praise"`, `owner: "customer_service"`, `owner: "legal"`},
	)
	ps := problemsOf(t, doc)
	want := []string{
		`taxonomy.yaml:38: reason 'delivery_damaged': hotkey 'f' already used by 'delivery_late' in category 'delivery'`,
		`taxonomy.yaml:78: reason 'praise': owner 'legal' is not in vocab.owners (product, logistics, customer_service)`,
	}
	if got := strings.Split(ps.Error(), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestProblemsComeAllAtOnceInLineOrder(t *testing.T) {
	doc := apply(t, small,
		edit{`"praise"`, `owner: "customer_service"`, `owner: "legal"`},
		edit{"", "schema_version: 1", "schema_version: 3"},
		edit{`"delivery_late"`, `en: "Late delivery"`, `en: ""`},
		edit{`- id: "feedback"`, `hotkey: "9"`, `hotkey: "3"`},
	)
	ps := problemsOf(t, doc)
	if len(ps) != 4 {
		t.Fatalf("got %d problems, want 4:\n%s", len(ps), dump(ps))
	}
	for i := 1; i < len(ps); i++ {
		if ps[i-1].Line > ps[i].Line {
			t.Errorf("problem %d (line %d) comes after line %d", i, ps[i].Line, ps[i-1].Line)
		}
	}
	if ps[0].Field != "schema_version" || ps[3].Field != "owner" {
		t.Errorf("order of fields: %q … %q, want schema_version … owner", ps[0].Field, ps[3].Field)
	}
}

func TestLoadRejectsAnEmptyFile(t *testing.T) {
	for _, doc := range []string{"", "# only a comment\n"} {
		ps := problemsOf(t, doc)
		if len(ps) != 1 || !strings.Contains(ps[0].Msg, "file is empty") {
			t.Errorf("Load(%q): %v, want one 'file is empty' problem", doc, ps)
		}
	}
}

func TestLoadRejectsAFileThatIsNotAMapping(t *testing.T) {
	ps := problemsOf(t, "- schema_version: 1\n- categories: []\n")
	if len(ps) != 1 || ps[0].Line != 1 || !strings.Contains(ps[0].Msg, "the file is a list") {
		t.Errorf("got %v, want one problem on line 1 saying the file is a list", ps)
	}
}

func TestProblemErrorWithoutALine(t *testing.T) {
	p := taxonomy.Problem{File: "t.yaml", Msg: "file is empty"}
	if got, want := p.Error(), "t.yaml: file is empty"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
