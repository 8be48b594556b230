package store_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"whycall/store"
)

func TestNormalizeRef(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  AB-123 456 ", "ab123456"},
		{"ab.123/456", "ab123456"},
		{"Kundenr: 12_34", "kundenr:1234"},
		{"ÆØÅ-1", "æøå1"},
		{"(0047) 915\t55 123", "004791555123"},
		{" - . / ", ""},
	}
	for _, tt := range tests {
		t.Run("normalises "+tt.in, func(t *testing.T) {
			if got := store.NormalizeRef(tt.in); got != tt.want {
				t.Errorf("NormalizeRef(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestRefHasher(t *testing.T) {
	secret := bytes.Repeat([]byte{7}, 32)
	h, err := store.NewRefHasher(secret)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := store.NewRefHasher(bytes.Repeat([]byte{8}, 32))
	a := h.Ref("AB-123 456")
	switch {
	case len(a) != store.RefHashLen || strings.Trim(a, "0123456789abcdef") != "":
		t.Errorf("Ref = %q, want %d hex digits", a, store.RefHashLen)
	case h.Ref("ab123456") != a:
		t.Error("two spellings of one ref hash differently")
	case h.Ref("ab123457") == a:
		t.Error("two refs hash alike")
	case other.Ref("ab123456") == a:
		t.Error("two secrets give the same hash")
	case strings.Contains(a, "123456"):
		t.Error("the hash shows the ref")
	case h.Ref("  -  ") != "":
		t.Error("an empty ref should stay empty")
	}
	if _, err := store.NewRefHasher([]byte("short")); err == nil {
		t.Error("a 5-byte secret was accepted")
	}
}

func TestLoadOrCreateSecret(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "ref-secret")
	first, err := store.LoadOrCreateSecret(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 32 {
		t.Errorf("secret of %d bytes, want 32", len(first))
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("secret file mode %o, want 600", st.Mode().Perm())
	}
	again, err := store.LoadOrCreateSecret(path)
	if err != nil || !bytes.Equal(again, first) {
		t.Errorf("second load = %x, %v; want the same secret", again, err)
	}
	left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), "*.tmp"))
	if len(left) > 0 {
		t.Errorf("temporary files left: %v", left)
	}

	t.Run("processes racing to create it agree", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "ref-secret")
		var wg sync.WaitGroup
		got := make([][]byte, 8)
		for i := range got {
			wg.Add(1)
			go func() {
				defer wg.Done()
				got[i], _ = store.LoadOrCreateSecret(path)
			}()
		}
		wg.Wait()
		for _, g := range got[1:] {
			if !bytes.Equal(g, got[0]) || len(g) != 32 {
				t.Fatalf("secrets differ: %x vs %x", g, got[0])
			}
		}
	})
	t.Run("takes a passphrase a site wrote itself", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "ref-secret")
		os.WriteFile(path, []byte("  correct horse battery staple\n"), 0o600)
		got, err := store.LoadOrCreateSecret(path)
		if err != nil || string(got) != "correct horse battery staple" {
			t.Errorf("LoadOrCreateSecret = %q, %v", got, err)
		}
	})
	t.Run("refuses a file too short to be a secret", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "ref-secret")
		os.WriteFile(path, []byte("hunter2\n"), 0o600)
		if _, err := store.LoadOrCreateSecret(path); err == nil || !strings.Contains(err.Error(), path) {
			t.Errorf("error %v, want one naming %s", err, path)
		}
		if b, _ := os.ReadFile(path); string(b) != "hunter2\n" {
			t.Error("the file was overwritten")
		}
	})
}
