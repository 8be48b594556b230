package batch

import "testing"

func BenchmarkEncode1000(b *testing.B) {
	bt := testBatch(b, 1, 0, MaxContacts)
	b.SetBytes(int64(len(Encode(bt))))
	b.ReportAllocs()
	for b.Loop() {
		Encode(bt)
	}
	b.ReportMetric(float64(b.N*MaxContacts)/b.Elapsed().Seconds(), "contacts/s")
}

func BenchmarkDecode1000(b *testing.B) {
	doc := Encode(testBatch(b, 1, 0, MaxContacts))
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Decode(doc, testNow); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*MaxContacts)/b.Elapsed().Seconds(), "contacts/s")
}
