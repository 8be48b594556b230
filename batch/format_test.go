package batch

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"whycall/store"
)

var update = flag.Bool("update", false, "rewrite docs/batch.example.json")

func TestEncodeThenDecodeGivesTheSameBatch(t *testing.T) {
	b := testBatch(t, 1, 0, 40)
	b.Contacts[3].Deleted = true
	b.Contacts[4].Deleted, b.Contacts[4].EndedAt = true, time.Time{}
	b.Contacts[5].Note = "tab\there \"quoted\" back\\slash \x01 line\nnext \u2028 ok"
	got, err := Decode(Encode(b), testNow)
	if err != nil {
		t.Fatal(err)
	}
	assertSameBatch(t, got, b)
}

func assertSameBatch(t *testing.T, got, want *Batch) {
	t.Helper()
	if got.ID != want.ID || got.Agent != want.Agent || got.Site != want.Site || !got.Created.Equal(want.Created) {
		t.Fatalf("header: got %+v, want %+v", got, want)
	}
	if !reflect.DeepEqual(got.Taxonomies, want.Taxonomies) {
		t.Fatalf("taxonomies differ")
	}
	if len(got.Contacts) != len(want.Contacts) {
		t.Fatalf("got %d contacts, want %d", len(got.Contacts), len(want.Contacts))
	}
	for i := range got.Contacts {
		if !sameContact(&got.Contacts[i], &want.Contacts[i]) {
			t.Fatalf("contact %d:\n got %+v\nwant %+v", i, got.Contacts[i], want.Contacts[i])
		}
	}
}

// sameContact compares contacts field by field, times as instants and a nil
// reason list as an empty one.
func sameContact(a, b *store.Contact) bool {
	return a.ID == b.ID && a.Agent == b.Agent && a.Team == b.Team && a.Site == b.Site &&
		a.Channel == b.Channel && a.StartedAt.Equal(b.StartedAt) && a.EndedAt.Equal(b.EndedAt) &&
		strings.Join(a.Reasons, "|") == strings.Join(b.Reasons, "|") && len(a.Reasons) == len(b.Reasons) &&
		a.Outcome == b.Outcome && a.CustomerRef == b.CustomerRef && a.Note == b.Note &&
		a.TaxonomyVersion == b.TaxonomyVersion && a.Rev == b.Rev && a.UpdatedAt.Equal(b.UpdatedAt) &&
		a.Deleted == b.Deleted
}

func TestTimesAreWrittenInUTCWithMilliseconds(t *testing.T) {
	oslo := time.FixedZone("CET", 3600)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{time.Date(2026, 3, 2, 9, 15, 30, 123456789, oslo), `"2026-03-02T08:15:30.123Z"`},
		{time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC), `"2000-01-01T00:00:00.000Z"`},
		{time.Date(2099, 12, 31, 23, 59, 59, 999999999, time.UTC), `"2099-12-31T23:59:59.999Z"`},
		{time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC), `"` + time.Date(12345, 1, 1, 0, 0, 0, 0, time.UTC).Format(timeLayout) + `"`},
	} {
		if got := string(appendTime(nil, tc.t)); got != tc.want {
			t.Errorf("%v: got %s, want %s", tc.t, got, tc.want)
		}
	}
}

func TestTheSameBatchEncodesToTheSameBytes(t *testing.T) {
	b := testBatch(t, 2, 0, 10)
	d, err := Decode(Encode(b), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(Encode(d), Encode(b)) {
		t.Fatal("re-encoding a decoded batch changed its bytes")
	}
}

// exampleBatch is the batch in docs/batch.example.json.
func exampleBatch(t *testing.T) *Batch {
	tax := testTaxonomy(t)
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	c := func(id string, rev int64, updated, started, ended string, reasons []string, o store.Outcome, ch store.Channel) store.Contact {
		var e time.Time
		if ended != "" {
			e = at(ended)
		}
		return store.Contact{ID: id, Agent: "kari", Team: "kundeservice-oslo", Site: "oslo", Channel: ch,
			StartedAt: at(started), EndedAt: e, Reasons: reasons, Outcome: o, TaxonomyVersion: tax.Version,
			Rev: rev, UpdatedAt: at(updated)}
	}
	b := &Batch{ID: "019cae1f-7a40-7c3e-9d51-4be0f27b8a11", Agent: "kari", Site: "oslo",
		Created: at("2026-03-02T09:30:00.000Z"), Taxonomies: []Taxonomy{tax}}
	b.Contacts = []store.Contact{
		c("019cadf1-0c2a-7b61-8f3e-2a4c5d6e7f80", 4, "2026-03-02T08:19:02.511Z", "2026-03-02T08:15:30.123Z",
			"2026-03-02T08:18:47.902Z", []string{"late_delivery", "invoice_unclear"}, store.OutcomeResolved, store.ChannelPhone),
		c("019cadf9-51d0-7a44-b1c2-93e4f5a6b7c8", 7, "2026-03-02T09:02:13.004Z", "2026-03-02T08:24:10.000Z",
			"2026-03-02T08:31:55.250Z", []string{"delivery_other"}, store.OutcomeFollowUp, store.ChannelChat),
		c("019cae02-3b7e-7d10-a9f8-1e2d3c4b5a69", 6, "2026-03-02T09:10:40.777Z", "2026-03-02T08:40:00.500Z",
			"2026-03-02T08:44:12.000Z", []string{"invoice_unclear"}, store.OutcomeEscalated, store.ChannelEmail),
		c("019cae0c-8e21-7f05-8b3a-6c7d8e9f0a1b", 3, "2026-03-02T09:12:00.000Z", "2026-03-02T08:52:31.640Z",
			"", []string{"late_delivery"}, store.OutcomeUnknown, store.ChannelPhone),
	}
	b.Contacts[0].CustomerRef = "h1:3f9a0c1d5e7b2a4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c"
	b.Contacts[1].Note = "Kunden vil hente pakken selv på terminalen; fnr ***********"
	b.Contacts[2].Deleted = true // a finished contact, deleted after it was synced
	b.Contacts[3].Deleted = true // reopened after sync, then deleted while in progress
	return b
}

func TestTheExampleDecodesToTheDocumentedBatch(t *testing.T) {
	want := exampleBatch(t)
	if *update {
		var out bytes.Buffer
		if err := json.Indent(&out, Encode(want), "", "  "); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile("../docs/batch.example.json", out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile("../docs/batch.example.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Decode(data, testNow)
	if err != nil {
		t.Fatal(err)
	}
	assertSameBatch(t, got, want)
}

// TestTheSchemaDescribesWhatIsWritten keeps docs/batch.schema.json in step
// with the encoder: the same property names at every level, and every
// property the decoder requires marked required.
func TestTheSchemaDescribesWhatIsWritten(t *testing.T) {
	raw, err := os.ReadFile("../docs/batch.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	type object struct {
		Required   []string                   `json:"required"`
		Properties map[string]json.RawMessage `json:"properties"`
		Additional *bool                      `json:"additionalProperties"`
	}
	var schema struct {
		object
		Defs map[string]object `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatalf("schema is not JSON: %v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(Encode(testBatch(t, 1, 0, 1)), &doc); err != nil {
		t.Fatal(err)
	}
	check := func(name string, o object, written map[string]any, required []string) {
		t.Helper()
		if o.Additional == nil || *o.Additional {
			t.Errorf("%s: schema must set additionalProperties false, as the decoder refuses unknown fields", name)
		}
		for k := range written {
			if _, ok := o.Properties[k]; !ok {
				t.Errorf("%s: %q is written but not in the schema", name, k)
			}
		}
		for k := range o.Properties {
			if _, ok := written[k]; !ok {
				t.Errorf("%s: %q is in the schema but never written", name, k)
			}
		}
		if strings.Join(o.Required, ",") != strings.Join(required, ",") {
			t.Errorf("%s: schema requires %v, the decoder requires %v", name, o.Required, required)
		}
	}
	check("batch", schema.object, doc, []string{"format", "id", "agent", "created", "taxonomies", "contacts"})
	check("taxonomy", schema.Defs["taxonomy"], doc["taxonomies"].([]any)[0].(map[string]any), []string{"version", "yaml"})
	check("contact", schema.Defs["contact"], doc["contacts"].([]any)[0].(map[string]any),
		[]string{"id", "rev", "updated_at", "agent", "channel", "started_at", "outcome", "taxonomy_version"})
}

func TestDecodeRefusesBadBatches(t *testing.T) {
	good := string(Encode(testBatch(t, 1, 0, 3)))
	first := testContact(testTaxonomy(t), 1, 0)
	contact := func(edit func(c *store.Contact)) string {
		b := testBatch(t, 1, 0, 3)
		edit(&b.Contacts[1])
		return string(Encode(b))
	}
	cases := []struct {
		name, doc string
		want      error
		msg       string
	}{
		{"an empty body is invalid", "", ErrInvalid, "empty document"},
		{"malformed JSON names the line and column", "{\n  \"format\": \"whycall.batch/v1\",\n  \"id\": }", ErrInvalid, "line 3, column 9"},
		{"a JSON array is not a batch", "[1,2]", ErrInvalid, "must be a JSON object"},
		{"a truncated document is invalid", good[:len(good)/2], ErrInvalid, "the document ends"},
		{"trailing data after the batch is invalid", good + "{}", ErrInvalid, "after the batch"},
		{"an unknown field is refused", strings.Replace(good, `"site":"oslo",`, `"site":"oslo","colour":"red",`, 1), ErrInvalid, `unknown field "colour"`},
		{"a number where a string belongs names the field", strings.Replace(good, `"agent":"agent1"`, `"agent":7`, 1), ErrInvalid, "agent"},
		{"a newer format version is reported as such", strings.Replace(good, Format, "whycall.batch/v2", 1), ErrUnknownFormat, `"whycall.batch/v2"`},
		{"a newer format with new fields is still reported as a format", `{"format":"whycall.batch/v2","parts":[]}`, ErrUnknownFormat, "upgrade"},
		{"a JSON object without a format is not a batch", `{"hello":"world"}`, ErrUnknownFormat, `no "format" field`},
		{"a batch id that is not a UUIDv7 is refused", strings.Replace(good, testID(1001, 0), "batch-1", 1), ErrInvalid, `id "batch-1" is not a UUIDv7`},
		{"a missing agent is refused", strings.Replace(good, `"agent":"agent1","site"`, `"agent":"","site"`, 1), ErrInvalid, "agent is missing"},
		{"a batch without contacts is refused", good[:strings.Index(good, `"contacts":[`)] + `"contacts":[]}`, ErrInvalid, "no contacts"},
		{"a contact without id is refused", contact(func(c *store.Contact) { c.ID = "" }), ErrInvalid, "contacts[1]: id is missing"},
		{"an upper-case contact id is refused", contact(func(c *store.Contact) { c.ID = strings.ToUpper(c.ID) }), ErrInvalid, "canonical form"},
		{"the same contact twice is refused", contact(func(c *store.Contact) { c.ID = first.ID }), ErrInvalid, "the same contact as contacts[0]"},
		{"a zero revision is refused", contact(func(c *store.Contact) { c.Rev = 0 }), ErrInvalid, "rev 0"},
		{"a time before 2000 is absurd", contact(func(c *store.Contact) { c.StartedAt = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC) }), ErrInvalid, "started_at 1970-01-01T00:00:00.000Z is before 2000-01-01"},
		{"a time two days ahead is absurd", contact(func(c *store.Contact) { c.EndedAt = testNow.Add(48 * time.Hour) }), ErrInvalid, "ended_at 2026-03-04T12:00:00.000Z is more than 24h0m0s after"},
		{"a time that is not RFC 3339 is refused", strings.Replace(good, `"created":"2026-03-02T11:59:00.000Z"`, `"created":"2026-03-02 11:59:00Z"`, 1), ErrInvalid, "is not an RFC 3339 time in UTC"},
		{"a time with an offset is refused", strings.Replace(good, `"created":"2026-03-02T11:59:00.000Z"`, `"created":"2026-03-02T12:59:00.000+01:00"`, 1), ErrInvalid, "is not an RFC 3339 time in UTC"},
		{"an end before the start is refused", contact(func(c *store.Contact) { c.EndedAt = c.StartedAt.Add(-time.Second) }), ErrInvalid, "is before started_at"},
		{"a huge note is refused", contact(func(c *store.Contact) { c.Note = strings.Repeat("å", MaxNoteBytes) }), ErrInvalid, "note is 16384 bytes, at most 8192"},
		{"an unknown channel is refused", contact(func(c *store.Contact) { c.Channel = "fax" }), ErrInvalid, `channel "fax"`},
		{"an unknown outcome is refused", contact(func(c *store.Contact) { c.Outcome = "maybe" }), ErrInvalid, `outcome "maybe"`},
		{"a reason twice is refused", contact(func(c *store.Contact) { c.Reasons = []string{"late_delivery", "late_delivery"} }), ErrInvalid, "listed twice"},
		{"too many reasons are refused", contact(func(c *store.Contact) { c.Reasons = []string{"a", "b", "c", "d", "e"} }), ErrInvalid, "5 reasons, at most 4"},
		{"a live draft is not synced", contact(func(c *store.Contact) { c.EndedAt = time.Time{} }), ErrInvalid, "drafts are not synced"},
		{"a taxonomy version the batch does not carry is refused", contact(func(c *store.Contact) { c.TaxonomyVersion = "0000000000000000" }), ErrInvalid, "is not among the batch's taxonomies"},
		{"a taxonomy whose yaml does not match its version is refused", strings.Replace(good, `id: \"example\"`, `id: \"forged\"`, 1), ErrInvalid, "does not match its yaml"},
		{"a document over the size limit is too large", `{"format":"` + strings.Repeat(" ", MaxDocumentBytes) + `"}`, ErrTooLarge, "at most"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Decode([]byte(tc.doc), testNow)
			if !errors.Is(err, tc.want) {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("message %q does not say %q", err, tc.msg)
			}
		})
	}
}

func TestDecodeListsSeveralProblemsAtOnce(t *testing.T) {
	b := testBatch(t, 1, 0, 30)
	for i := range b.Contacts {
		b.Contacts[i].Rev = 0
	}
	_, err := Decode(Encode(b), testNow)
	if err == nil || !strings.Contains(err.Error(), "contacts[9]") || !strings.Contains(err.Error(), "and 20 more") {
		t.Fatalf("got %v, want ten problems and a count of the rest", err)
	}
}

func TestDecodeKeepsUnknownReasonIDs(t *testing.T) {
	b := testBatch(t, 1, 0, 2)
	b.Contacts[0].Reasons = []string{"not_in_any_taxonomy"}
	got, err := Decode(Encode(b), testNow)
	if err != nil {
		t.Fatal(err)
	}
	if got.Contacts[0].Reasons[0] != "not_in_any_taxonomy" {
		t.Fatalf("reasons: %v", got.Contacts[0].Reasons)
	}
}
