package demo

// profile is how often a reason comes up and how its contacts go. Reasons of
// the built-in taxonomy have hand-set profiles, drawn from the shape of real
// Nordic retail and utility contact centres (where-is-my-order and invoice
// questions on top, a long tail of rarer causes); any other reason gets one
// derived from its kind and treatment (see derivedProfile).
type profile struct {
	weight  float64 // relative share of primary contacts
	handleM float64 // median handle time, minutes (log-normal)
	fcr     float64 // chance the agent marks it resolved, when an outcome is set
	// repeat is the share of these contacts that come back about the same
	// reason from a customer whose earlier contact was left open.
	repeat float64
}

// knownProfiles are the profiles of the built-in taxonomy's reasons. Weights
// are per mille of primary contacts; irritants make up about 88 % of them.
var knownProfiles = map[string]profile{
	// 1 before purchase
	"purchase_advice":      {25, 8.5, 0.93, 0.02},
	"product_info_unclear": {15, 5.5, 0.86, 0.03},
	"availability":         {28, 3.5, 0.90, 0.03},
	"campaign_offer":       {9, 5.0, 0.84, 0.04},
	// 2 order
	"place_order":     {22, 9.0, 0.94, 0.02},
	"checkout_failed": {20, 6.5, 0.78, 0.06},
	"order_change":    {45, 4.5, 0.88, 0.04},
	"sales_promise":   {5, 9.5, 0.55, 0.10},
	"mis_sold":        {4, 11.0, 0.50, 0.10},
	// 3 delivery
	"delivery_status":     {120, 3.0, 0.90, 0.04},
	"delivery_late":       {55, 4.5, 0.70, 0.08},
	"delivery_damaged":    {18, 7.0, 0.66, 0.06},
	"delivery_wrong_item": {10, 6.5, 0.72, 0.05},
	"partner_problem":     {8, 7.5, 0.58, 0.08},
	// 4 product in use
	"product_defect":      {50, 8.0, 0.62, 0.06},
	"repeat_failure":      {12, 9.5, 0.45, 0.12},
	"quality_expectation": {9, 7.0, 0.68, 0.05},
	"how_to_use":          {50, 7.5, 0.91, 0.03},
	"service_outage":      {16, 3.5, 0.60, 0.08},
	// 5 returns and claims
	"return_withdrawal": {45, 5.0, 0.87, 0.04},
	"claim_followup":    {25, 7.0, 0.58, 0.10},
	// 6 price and billing
	"price_value":           {10, 6.0, 0.75, 0.03},
	"price_change":          {25, 5.0, 0.82, 0.03},
	"invoice_wrong":         {35, 7.5, 0.64, 0.07},
	"invoice_unclear":       {70, 5.5, 0.90, 0.03},
	"payment_problem":       {40, 5.5, 0.84, 0.05},
	"refund_credit_missing": {30, 5.0, 0.60, 0.10},
	// 7 account
	"moving":           {30, 6.5, 0.88, 0.03},
	"account_details":  {35, 4.0, 0.92, 0.03},
	"agreement_change": {16, 7.0, 0.90, 0.02},
	"cancel_leave":     {14, 8.0, 0.80, 0.04},
	// 8 service
	"chasing_case":        {40, 4.5, 0.55, 0.15},
	"no_authority":        {6, 5.5, 0.35, 0.15},
	"hard_to_reach":       {12, 3.5, 0.80, 0.05},
	"wrong_info_given":    {7, 6.0, 0.65, 0.08},
	"complaint_treatment": {6, 8.5, 0.55, 0.08},
	// 9 feedback
	"praise_service":  {8, 2.5, 0.99, 0},
	"praise_product":  {2.5, 2.5, 0.99, 0},
	"praise_delivery": {3, 2.0, 0.99, 0},
	"praise_store":    {1.5, 2.0, 0.99, 0},
	"suggestion":      {4, 3.5, 0.97, 0},
}

// catchAllWeight is the weight of each category's "other" reason: nine of
// them make about 3 % of contacts, under the 5 % a team should aim for.
const catchAllWeight = 3.4

// chainSource is an earlier reason that a contact of another reason often
// follows up on, and the share of that reason's contacts that do.
type chainSource struct {
	from  string
	share float64
}

// knownChains are the repeat chains of the built-in taxonomy: the reason a
// customer comes back with, and what they contacted us about before.
var knownChains = map[string][]chainSource{
	"delivery_late":         {{"delivery_status", 0.35}},
	"claim_followup":        {{"product_defect", 0.35}, {"delivery_damaged", 0.20}},
	"refund_credit_missing": {{"return_withdrawal", 0.35}, {"invoice_wrong", 0.15}},
	"repeat_failure":        {{"product_defect", 0.30}, {"service_outage", 0.10}},
	"chasing_case":          {{"claim_followup", 0.15}, {"order_change", 0.08}, {"invoice_wrong", 0.08}},
	"complaint_treatment":   {{"chasing_case", 0.30}, {"no_authority", 0.10}},
	"return_withdrawal":     {{"delivery_wrong_item", 0.06}, {"quality_expectation", 0.06}},
	"invoice_wrong":         {{"invoice_unclear", 0.10}},
	"payment_problem":       {{"invoice_unclear", 0.10}, {"invoice_wrong", 0.05}},
	"cancel_leave":          {{"price_change", 0.20}, {"hard_to_reach", 0.05}},
	"no_authority":          {{"claim_followup", 0.10}},
}

// leaveCauses are the reasons an agent adds as the secondary reason of a
// cancel_leave contact: why the customer is leaving.
var leaveCauses = []string{"price_value", "price_change", "hard_to_reach", "wrong_info_given", "mis_sold", "repeat_failure"}

// spikeReason is the reason the planted spike uses when the taxonomy has it.
const spikeReason = "delivery_late"
