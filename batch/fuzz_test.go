package batch

import (
	"bytes"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
)

// FuzzDecodeBatch feeds Decode arbitrary documents. It must never panic;
// whatever it accepts, encoding/json must read the same way; and an accepted
// batch must encode to a document that decodes to the same batch and the
// same bytes again.
func FuzzDecodeBatch(f *testing.F) {
	good := Encode(testBatch(f, 1, 0, 3))
	f.Add(good)
	if ex, err := os.ReadFile("../docs/batch.example.json"); err == nil {
		f.Add(ex)
	}
	f.Add([]byte(`{"format":"whycall.batch/v2"}`))
	f.Add([]byte(`{"format":"whycall.batch/v1","id":"","contacts":[{}]}`))
	f.Add([]byte(strings.Replace(string(good), `"ended_at":"`, `"ended_at":null,"x":"`, 1)))
	f.Add([]byte(strings.Replace(string(good), `"note":""`, `"note":"\ud83d\ude00 \ud800x \u00e5\\\/\b\f"`, 1)))
	f.Add([]byte(`[]`))
	f.Add([]byte(``))
	f.Fuzz(func(t *testing.T, data []byte) {
		var w wireBatch
		if parse(data, &w) == nil {
			var ref refBatch
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&ref); err != nil {
				t.Fatalf("parse accepts what encoding/json refuses (%v):\n%q", err, data)
			}
			if got := ref.wire(); !reflect.DeepEqual(normal(got), normal(&w)) {
				t.Fatalf("parse and encoding/json disagree:\n%+v\n%+v", w, *got)
			}
		}
		b, err := Decode(data, testNow)
		if err != nil {
			if b != nil {
				t.Fatal("Decode returned a batch and an error")
			}
			return
		}
		enc := Encode(b)
		b2, err := Decode(enc, testNow)
		if err != nil {
			t.Fatalf("a decoded batch does not decode after encoding: %v\n%s", err, enc)
		}
		assertSameBatch(t, b2, b)
		if !bytes.Equal(Encode(b2), enc) {
			t.Fatal("encoding is not stable")
		}
	})
}

// refBatch is the document for encoding/json, the reference parse is
// checked against.
type refBatch struct {
	Format     string `json:"format"`
	ID         string `json:"id"`
	Agent      string `json:"agent"`
	Site       string `json:"site"`
	Created    string `json:"created"`
	Taxonomies []struct {
		Version  string `json:"version"`
		ID       string `json:"id"`
		Revision int    `json:"revision"`
		YAML     string `json:"yaml"`
	} `json:"taxonomies"`
	Contacts []struct {
		ID              string   `json:"id"`
		Rev             int64    `json:"rev"`
		UpdatedAt       string   `json:"updated_at"`
		Deleted         bool     `json:"deleted"`
		Agent           string   `json:"agent"`
		Team            string   `json:"team"`
		Site            string   `json:"site"`
		Channel         string   `json:"channel"`
		StartedAt       string   `json:"started_at"`
		EndedAt         *string  `json:"ended_at"`
		Reasons         []string `json:"reasons"`
		Outcome         string   `json:"outcome"`
		CustomerRef     string   `json:"customer_ref"`
		Note            string   `json:"note"`
		TaxonomyVersion string   `json:"taxonomy_version"`
	} `json:"contacts"`
}

func (r *refBatch) wire() *wireBatch {
	w := &wireBatch{Format: r.Format, ID: r.ID, Agent: r.Agent, Site: r.Site, Created: []byte(r.Created)}
	for _, t := range r.Taxonomies {
		w.Taxonomies = append(w.Taxonomies, wireTaxonomy(t))
	}
	for _, c := range r.Contacts {
		wc := wireContact{ID: c.ID, Rev: c.Rev, UpdatedAt: []byte(c.UpdatedAt), Deleted: c.Deleted, Agent: c.Agent,
			Team: c.Team, Site: c.Site, Channel: c.Channel, StartedAt: []byte(c.StartedAt), Reasons: c.Reasons,
			Outcome: c.Outcome, CustomerRef: c.CustomerRef, Note: c.Note, TaxonomyVersion: c.TaxonomyVersion}
		if c.EndedAt != nil {
			wc.EndedAt, wc.HasEnded = []byte(*c.EndedAt), true
		}
		w.Contacts = append(w.Contacts, wc)
	}
	return w
}

// normal makes empty and nil slices equal.
func normal(w *wireBatch) *wireBatch {
	n := *w
	n.Created = nilIfEmpty(n.Created)
	if len(n.Taxonomies) == 0 {
		n.Taxonomies = nil
	}
	if len(n.Contacts) == 0 {
		n.Contacts = nil
	}
	n.Contacts = append([]wireContact(nil), n.Contacts...)
	for i := range n.Contacts {
		c := &n.Contacts[i]
		if len(c.Reasons) == 0 {
			c.Reasons = nil
		}
		c.UpdatedAt, c.StartedAt, c.EndedAt = nilIfEmpty(c.UpdatedAt), nilIfEmpty(c.StartedAt), nilIfEmpty(c.EndedAt)
	}
	return &n
}

func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}
