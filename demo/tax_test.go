package demo

import "whycall/taxonomy"

// testReason is a reason of the test taxonomy: id, kind, treatment, catch-all.
type testReason struct {
	id, kind, treatment string
	catchAll            bool
}

// defaultShape has the categories and reasons of the built-in taxonomy.
var defaultShape = []struct {
	id      string
	reasons []testReason
}{
	{"before_purchase", []testReason{
		{"purchase_advice", "value", "leverage", false},
		{"product_info_unclear", "irritant", "eliminate", false},
		{"availability", "irritant", "automate", false},
		{"campaign_offer", "irritant", "eliminate", false},
		{"before_purchase_other", "irritant", "", true},
	}},
	{"order", []testReason{
		{"place_order", "value", "leverage", false},
		{"checkout_failed", "irritant", "eliminate", false},
		{"order_change", "irritant", "automate", false},
		{"sales_promise", "irritant", "eliminate", false},
		{"mis_sold", "irritant", "eliminate", false},
		{"order_other", "irritant", "", true},
	}},
	{"delivery", []testReason{
		{"delivery_status", "irritant", "eliminate", false},
		{"delivery_late", "irritant", "eliminate", false},
		{"delivery_damaged", "irritant", "eliminate", false},
		{"delivery_wrong_item", "irritant", "eliminate", false},
		{"partner_problem", "irritant", "eliminate", false},
		{"delivery_other", "irritant", "", true},
	}},
	{"product_use", []testReason{
		{"product_defect", "irritant", "eliminate", false},
		{"repeat_failure", "irritant", "eliminate", false},
		{"quality_expectation", "irritant", "eliminate", false},
		{"how_to_use", "irritant", "simplify", false},
		{"service_outage", "irritant", "eliminate", false},
		{"product_use_other", "irritant", "", true},
	}},
	{"return_claim", []testReason{
		{"return_withdrawal", "irritant", "automate", false},
		{"claim_followup", "irritant", "eliminate", false},
		{"return_claim_other", "irritant", "", true},
	}},
	{"price_billing", []testReason{
		{"price_value", "irritant", "simplify", false},
		{"price_change", "irritant", "eliminate", false},
		{"invoice_wrong", "irritant", "eliminate", false},
		{"invoice_unclear", "irritant", "simplify", false},
		{"payment_problem", "irritant", "automate", false},
		{"refund_credit_missing", "irritant", "eliminate", false},
		{"price_billing_other", "irritant", "", true},
	}},
	{"account", []testReason{
		{"moving", "irritant", "automate", false},
		{"account_details", "irritant", "automate", false},
		{"agreement_change", "value", "leverage", false},
		{"cancel_leave", "irritant", "simplify", false},
		{"account_other", "irritant", "", true},
	}},
	{"service", []testReason{
		{"chasing_case", "irritant", "eliminate", false},
		{"no_authority", "irritant", "eliminate", false},
		{"hard_to_reach", "irritant", "eliminate", false},
		{"wrong_info_given", "irritant", "eliminate", false},
		{"complaint_treatment", "irritant", "eliminate", false},
		{"service_other", "irritant", "", true},
	}},
	{"feedback", []testReason{
		{"praise_service", "value", "leverage", false},
		{"praise_product", "value", "leverage", false},
		{"praise_delivery", "value", "leverage", false},
		{"praise_store", "value", "leverage", false},
		{"suggestion", "value", "leverage", false},
		{"feedback_other", "value", "", true},
	}},
}

// testTaxonomy builds a taxonomy with the built-in tree's reasons.
func testTaxonomy() *taxonomy.Taxonomy {
	t := &taxonomy.Taxonomy{ID: "test", Revision: 1, Version: "testversion", Source: []byte("test taxonomy\n")}
	for _, c := range defaultShape {
		cat := &taxonomy.Category{ID: c.id}
		for _, r := range c.reasons {
			cat.Reasons = append(cat.Reasons, &taxonomy.Reason{
				ID: r.id, Kind: taxonomy.Kind(r.kind), Treatment: taxonomy.Treatment(r.treatment),
				CatchAll: r.catchAll, Category: c.id,
			})
		}
		t.Categories = append(t.Categories, cat)
	}
	return t
}
