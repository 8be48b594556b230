package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
)

// fakeEnv returns an environment lookup over m, with HOME pointing at a temp dir.
func fakeEnv(t *testing.T, m map[string]string) func(string) string {
	t.Helper()
	if _, ok := m["HOME"]; !ok {
		m["HOME"] = t.TempDir()
	}
	return func(k string) string { return m[k] }
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestExampleConfigLoadsAndDocumentsEveryKey(t *testing.T) {
	env := fakeEnv(t, map[string]string{})
	cfg, used, err := loadConfig(nil, "../../config.example.yaml", env)
	if err != nil {
		t.Fatalf("config.example.yaml does not load: %v", err)
	}
	if used == "" || cfg.Lang != "nb" || cfg.Timezone != "Europe/Oslo" {
		t.Fatalf("unexpected config from example: used=%q %+v", used, cfg)
	}
	if want := filepath.Join(env("HOME"), ".local/share/whycall/whycall.db"); cfg.DB != want {
		t.Errorf("db = %q, want ~ expanded to %q", cfg.DB, want)
	}
	data, err := os.ReadFile("../../config.example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for key := range defaults(env) {
		leaf := key[strings.LastIndexByte(key, '.')+1:]
		if !strings.Contains(string(data), "\n"+strings.Repeat(" ", 2*strings.Count(key, "."))+leaf+":") {
			t.Errorf("config.example.yaml does not document key %q", key)
		}
	}
}

func TestConfigPrecedence(t *testing.T) {
	file := writeFile(t, "c.yaml", "lang: sv\ndb: /from/file.db\nteam: file-team\nsync:\n  interval: 2m\n")

	t.Run("defaults apply when nothing is set", func(t *testing.T) {
		env := fakeEnv(t, map[string]string{"XDG_DATA_HOME": "/data", "USER": "kari"})
		cfg, _, err := loadConfig(nil, "", env)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.DB != "/data/whycall/whycall.db" || cfg.Agent != "kari" || cfg.Sync.Interval != 5*time.Minute {
			t.Errorf("defaults wrong: %+v", cfg)
		}
	})
	t.Run("the file beats defaults", func(t *testing.T) {
		cfg, _, err := loadConfig(nil, file, fakeEnv(t, map[string]string{}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Lang != "sv" || cfg.DB != "/from/file.db" || cfg.Sync.Interval != 2*time.Minute {
			t.Errorf("file not applied: %+v", cfg)
		}
	})
	t.Run("env beats the file", func(t *testing.T) {
		env := fakeEnv(t, map[string]string{"WHYCALL_LANG": "en", "WHYCALL_SYNC_INTERVAL": "10s", "WHYCALL_CONFIG": file})
		cfg, _, err := loadConfig(nil, "", env)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Lang != "en" || cfg.Team != "file-team" || cfg.Sync.Interval != 10*time.Second {
			t.Errorf("env not applied over file: %+v", cfg)
		}
	})
	t.Run("flags beat env", func(t *testing.T) {
		fs := pflag.NewFlagSet("t", pflag.ContinueOnError)
		fs.String("db", "", "")
		fs.String("lang", "", "")
		if err := fs.Parse([]string{"--lang", "nb", "--db", "/flag.db"}); err != nil {
			t.Fatal(err)
		}
		env := fakeEnv(t, map[string]string{"WHYCALL_LANG": "en", "WHYCALL_DB": "/env.db"})
		cfg, _, err := loadConfig(fs, file, env)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Lang != "nb" || cfg.DB != "/flag.db" {
			t.Errorf("flags not applied over env: %+v", cfg)
		}
	})
	t.Run("$XDG_CONFIG_HOME/whycall/config.yaml is read when present", func(t *testing.T) {
		dir := t.TempDir()
		if err := os.MkdirAll(filepath.Join(dir, "whycall"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "whycall", "config.yaml"), []byte("site: bergen\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, used, err := loadConfig(nil, "", fakeEnv(t, map[string]string{"XDG_CONFIG_HOME": dir}))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Site != "bergen" || used == "" {
			t.Errorf("xdg config not read: used=%q site=%q", used, cfg.Site)
		}
	})
}

func TestBadConfigIsRejectedWithKeyAndValue(t *testing.T) {
	cases := []struct {
		name, body string
		want       []string
	}{
		{"an unknown key names its line and a suggestion", "lang: en\nsumary:\n  per_agent: true\n", []string{":2:", `"sumary"`, `did you mean`}},
		{"an unknown nested key names its full path", "sync:\n  taget: x\n", []string{":2:", `"sync.taget"`}},
		{"a wrong type names the key", "retention:\n  days: lots\n", []string{"retention.days", "lots"}},
		{"a bad duration names the key", "sync:\n  interval: soon\n", []string{"sync.interval"}},
		{"an unknown language names the value", "lang: de\n", []string{"lang", `"de"`}},
		{"an unknown time zone names the value", "timezone: Mars/Olympus\n", []string{"timezone", "Mars/Olympus"}},
		{"an out-of-range window names the key", "summary:\n  repeat_window_days: 90\n", []string{"summary.repeat_window_days", "90"}},
		{"an out-of-range rolling window names the key", "summary:\n  rolling_days: 91\n", []string{"summary.rolling_days", "91"}},
		{"half a TLS pair is refused", "serve:\n  tls_cert: a.pem\n", []string{"tls_cert"}},
		{"malformed YAML names the file", "lang: [nb\n", []string{"c.yaml"}},
		{"a section that is not a mapping is refused", "sync: yes\n", []string{"sync"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := loadConfig(nil, writeFile(t, "c.yaml", c.body), fakeEnv(t, map[string]string{}))
			if err == nil {
				t.Fatal("loaded without error")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
	t.Run("a named config file that is missing is an error", func(t *testing.T) {
		_, _, err := loadConfig(nil, "/nonexistent/whycall.yaml", fakeEnv(t, map[string]string{}))
		if err == nil || !strings.Contains(err.Error(), "/nonexistent/whycall.yaml") {
			t.Errorf("err = %v", err)
		}
	})
}

func TestSummaryKeysReachTheSummary(t *testing.T) {
	body := "summary:\n  rolling_days: 28\n  fcr_same_category: true\n  repeat_window_days: 14\n"
	cfg, _, err := loadConfig(nil, writeFile(t, "c.yaml", body), fakeEnv(t, map[string]string{}))
	if err != nil {
		t.Fatal(err)
	}
	opt := (&app{cfg: cfg}).summaryOptions()
	if opt.RollingDays != 28 || !opt.FCRSameCategory || opt.RepeatWindowDays != 14 {
		t.Errorf("options: rolling %d, same category %v, window %d; want 28, true, 14",
			opt.RollingDays, opt.FCRSameCategory, opt.RepeatWindowDays)
	}
	def := (&app{cfg: mustDefaultConfig(t)}).summaryOptions()
	if def.RollingDays != 0 || def.FCRSameCategory {
		t.Errorf("defaults: rolling %d, same category %v; want off", def.RollingDays, def.FCRSameCategory)
	}
}

func mustDefaultConfig(t *testing.T) *Config {
	t.Helper()
	cfg, _, err := loadConfig(nil, "", fakeEnv(t, map[string]string{}))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
