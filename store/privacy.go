package store

// RefHasher normalises customer references and turns them into a keyed hash
// (HMAC-SHA256), so repeat contacts can be found without keeping the number.
type RefHasher struct {
	secret []byte
}
