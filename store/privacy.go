package store

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// RefHasher normalises customer references and turns them into a keyed hash
// (HMAC-SHA256), so repeat contacts can be found without keeping the number.
// Desks that must find each other's repeats need the same secret.
type RefHasher struct {
	secret []byte
}

// RefHashLen is the length of a hashed reference: 32 hex digits, the first
// 128 bits of the HMAC, which is far beyond any chance of two customers
// colliding.
const RefHashLen = 32

// MinSecretLen is the shortest secret NewRefHasher accepts, in bytes.
const MinSecretLen = 16

// NewRefHasher returns a RefHasher keyed with secret (at least MinSecretLen
// bytes; LoadOrCreateSecret makes one).
func NewRefHasher(secret []byte) (*RefHasher, error) {
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("customer ref secret is %d bytes, want at least %d", len(secret), MinSecretLen)
	}
	return &RefHasher{secret: append([]byte(nil), secret...)}, nil
}

// Ref returns what is stored for the raw reference: the hex HMAC-SHA256 of
// NormalizeRef(raw), cut to RefHashLen; "" when raw normalises to nothing.
func (h *RefHasher) Ref(raw string) string {
	n := NormalizeRef(raw)
	if n == "" {
		return ""
	}
	m := hmac.New(sha256.New, h.secret)
	m.Write([]byte(n))
	return hex.EncodeToString(m.Sum(nil))[:RefHashLen]
}

// NormalizeRef makes the forms an agent may type of one reference equal:
// trimmed, case-folded, without spaces and the separators - – . / \ _ ( ).
// "NO-123 456/7" and "no1234567" normalise alike.
func NormalizeRef(raw string) string {
	var b strings.Builder
	b.Grow(len(raw))
	for _, r := range raw {
		switch {
		case unicode.IsSpace(r):
		case strings.ContainsRune("-–—./\\_()", r):
		default:
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// LoadOrCreateSecret reads the customer-ref secret from path (hex, as
// written here, or else the file's trimmed text, at least MinSecretLen
// bytes either way), or, when there is no file yet, makes 32 random bytes, writes
// them with mode 0600 atomically and returns them. Two processes creating it
// at once end up with the same secret: the first to link its file wins.
func LoadOrCreateSecret(path string) ([]byte, error) {
	secret, err := readSecret(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return secret, err
	}
	secret = make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, fmt.Errorf("make secret %s: %w", path, err)
	}
	if err := writeNewFile(path, []byte(hex.EncodeToString(secret)+"\n")); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return readSecret(path)
		}
		return nil, fmt.Errorf("write secret %s: %w", path, err)
	}
	return secret, nil
}

// readSecret reads a secret file: hex as LoadOrCreateSecret writes it, or
// else, for a secret a site chose itself, the file's trimmed text.
func readSecret(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read secret %s: %w", path, err)
	}
	text := strings.TrimSpace(string(b))
	secret, err := hex.DecodeString(text)
	if err != nil {
		secret = []byte(text)
	}
	if len(secret) < MinSecretLen {
		return nil, fmt.Errorf("read secret %s: %d bytes, want at least %d", path, len(secret), MinSecretLen)
	}
	return secret, nil
}

// writeNewFile writes data to a temporary file beside path, syncs it and
// links it into place, failing with fs.ErrExist rather than replacing a file
// someone else made meanwhile. Where hard links are not supported it renames.
func writeNewFile(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*.tmp") // mode 0600
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp)
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return err
		}
		if _, statErr := os.Lstat(path); statErr == nil {
			return fs.ErrExist
		}
		if err := os.Rename(tmp, path); err != nil {
			return err
		}
	}
	return syncDir(dir)
}
