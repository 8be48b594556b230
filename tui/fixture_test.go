package tui

import "whycall/taxonomy"

// smallTax is a hand-built taxonomy for tests that need one without the
// embedded default: hotkeys as in the default (3f delivery_late, 3x its
// catch-all, 6f invoice_wrong), plus a retired reason that must not be
// offered.
func smallTax() *taxonomy.Taxonomy {
	txt := func(nb, sv, en string) taxonomy.Text { return taxonomy.Text{"nb": nb, "sv": sv, "en": en} }
	r := func(cat, id, hk string, l taxonomy.Text, catchAll, deprecated bool) *taxonomy.Reason {
		return &taxonomy.Reason{ID: id, Hotkey: hk, Labels: l, Category: cat, CatchAll: catchAll, Deprecated: deprecated,
			Description: txt("Beskrivelse av "+id, "Beskrivning av "+id, "Description of "+id), Kind: taxonomy.KindIrritant}
	}
	return &taxonomy.Taxonomy{
		SchemaVersion: 1, ID: "small", Revision: 1, Name: txt("Liten", "Liten", "Small"),
		Locales: []string{"nb", "sv", "en"}, DefaultLocale: "nb", Version: "small-v1",
		Categories: []*taxonomy.Category{
			{ID: "before_purchase", Hotkey: "1", Labels: txt("Før kjøp", "Före köp", "Before purchase"), Reasons: []*taxonomy.Reason{
				r("before_purchase", "purchase_advice", "r", txt("Råd om valg av produkt", "Råd om val av produkt", "Advice on choosing"), false, false),
				r("before_purchase", "product_info_unclear", "i", txt("Produktinfo mangler/uklar", "Produktinfo saknas/otydlig", "Product info missing/unclear"), false, false),
				r("before_purchase", "before_purchase_other", "x", txt("Annet før kjøp", "Annat före köp", "Other before purchase"), true, false),
			}},
			{ID: "delivery", Hotkey: "3", Labels: txt("Levering og montering", "Leverans och montering", "Delivery and installation"), Reasons: []*taxonomy.Reason{
				r("delivery", "delivery_status", "s", txt("Hvor er leveransen?", "Var är leveransen?", "Where is my delivery?"), false, false),
				r("delivery", "old_delivery_reason", "o", txt("Gammel årsak", "Gammal orsak", "Old reason"), false, true),
				r("delivery", "delivery_late", "f", txt("Forsinket levering", "Försenad leverans", "Late delivery"), false, false),
				r("delivery", "delivery_damaged", "k", txt("Skadet vare", "Skadad vara", "Damaged item"), false, false),
				r("delivery", "delivery_other", "x", txt("Annet om levering", "Annat om leverans", "Other delivery"), true, false),
			}},
			{ID: "price_billing", Hotkey: "6", Labels: txt("Pris og faktura", "Pris och faktura", "Price and billing"), Reasons: []*taxonomy.Reason{
				r("price_billing", "price_value", "p", txt("Pris og verdi", "Pris och värde", "Price and value"), false, false),
				r("price_billing", "invoice_wrong", "f", txt("Feil på faktura", "Fel på faktura", "Invoice wrong"), false, false),
				r("price_billing", "price_billing_other", "x", txt("Annet om pris/faktura", "Annat om pris/faktura", "Other price/billing"), true, false),
			}},
		},
	}
}
