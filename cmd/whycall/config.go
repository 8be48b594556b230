package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"github.com/go-viper/mapstructure/v2"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"whycall/internal/typo"
)

// Config is every setting whycall reads, after flags, WHYCALL_* environment
// variables, the config file and the defaults have been merged (in that
// order of precedence). config.example.yaml documents each key; a test keeps
// the two in step.
type Config struct {
	DB       string `mapstructure:"db"`
	Lang     string `mapstructure:"lang"`
	Timezone string `mapstructure:"timezone"`
	Agent    string `mapstructure:"agent"`
	Team     string `mapstructure:"team"`
	Site     string `mapstructure:"site"`
	Taxonomy string `mapstructure:"taxonomy"`

	CustomerRef CustomerRefConfig `mapstructure:"customer_ref"`
	Notes       NotesConfig       `mapstructure:"notes"`
	Retention   RetentionConfig   `mapstructure:"retention"`
	Summary     SummaryConfig     `mapstructure:"summary"`
	Sync        SyncConfig        `mapstructure:"sync"`
	Serve       ServeConfig       `mapstructure:"serve"`
	Log         LogConfig         `mapstructure:"log"`
}

// CustomerRefConfig says how customer references are stored.
type CustomerRefConfig struct {
	Hash       bool   `mapstructure:"hash"`
	Secret     string `mapstructure:"secret"`
	SecretFile string `mapstructure:"secret_file"`
}

// NotesConfig says how notes are stored.
type NotesConfig struct {
	Mask bool `mapstructure:"mask"`
}

// RetentionConfig says how long personal data in contacts is kept.
type RetentionConfig struct {
	Days int `mapstructure:"days"`
}

// SummaryConfig tunes the team lead's summary.
type SummaryConfig struct {
	PerAgent         bool    `mapstructure:"per_agent"`
	RepeatWindowDays int     `mapstructure:"repeat_window_days"`
	SpikeAlpha       float64 `mapstructure:"spike_alpha"`
	SpikeMinCount    int     `mapstructure:"spike_min_count"`
	SpikeMinRatio    float64 `mapstructure:"spike_min_ratio"`
	CatchAllWarn     float64 `mapstructure:"catch_all_warn"`
	CatchAllAlert    float64 `mapstructure:"catch_all_alert"`
	RollingDays      int     `mapstructure:"rolling_days"`
	FCRSameCategory  bool    `mapstructure:"fcr_same_category"`
}

// SyncConfig says where and how often a desk pushes its contacts.
type SyncConfig struct {
	Target    string        `mapstructure:"target"`
	Token     string        `mapstructure:"token"`
	Interval  time.Duration `mapstructure:"interval"`
	BatchSize int           `mapstructure:"batch_size"`
	Timeout   time.Duration `mapstructure:"timeout"`
}

// ServeConfig configures the collector (`whycall serve`).
type ServeConfig struct {
	Listen       string   `mapstructure:"listen"`
	Tokens       []string `mapstructure:"tokens"`
	TLSCert      string   `mapstructure:"tls_cert"`
	TLSKey       string   `mapstructure:"tls_key"`
	MaxBodyBytes int64    `mapstructure:"max_body_bytes"`
}

// LogConfig says where diagnostics go (the TUI owns the terminal).
type LogConfig struct {
	File  string `mapstructure:"file"`
	Level string `mapstructure:"level"`
}

// Locales whycall has labels for.
var locales = []string{"nb", "sv", "en"}

// defaults returns the built-in value of every key. It is also the list of
// known keys: a key that is not here is an error in a config file.
func defaults(env func(string) string) map[string]any {
	return map[string]any{
		"db":                         filepath.Join(xdgDir(env, "XDG_DATA_HOME", ".local/share"), "whycall", "whycall.db"),
		"lang":                       "nb",
		"timezone":                   "Europe/Oslo",
		"agent":                      defaultAgent(env),
		"team":                       "",
		"site":                       "",
		"taxonomy":                   "",
		"customer_ref.hash":          true,
		"customer_ref.secret":        "",
		"customer_ref.secret_file":   "",
		"notes.mask":                 true,
		"retention.days":             0,
		"summary.per_agent":          false,
		"summary.repeat_window_days": 7,
		"summary.spike_alpha":        0.001,
		"summary.spike_min_count":    5,
		"summary.spike_min_ratio":    1.5,
		"summary.catch_all_warn":     0.05,
		"summary.catch_all_alert":    0.10,
		"summary.rolling_days":       0,
		"summary.fcr_same_category":  false,
		"sync.target":                "",
		"sync.token":                 "",
		"sync.interval":              "5m",
		"sync.batch_size":            1000,
		"sync.timeout":               "30s",
		"serve.listen":               "127.0.0.1:8470",
		"serve.tokens":               []string{},
		"serve.tls_cert":             "",
		"serve.tls_key":              "",
		"serve.max_body_bytes":       8 << 20,
		"log.file":                   filepath.Join(xdgDir(env, "XDG_STATE_HOME", ".local/state"), "whycall", "whycall.log"),
		"log.level":                  "info",
	}
}

func xdgDir(env func(string) string, name, fallback string) string {
	if d := env(name); d != "" && filepath.IsAbs(d) {
		return d
	}
	home := env("HOME")
	if home == "" {
		if h, err := os.UserHomeDir(); err == nil {
			home = h
		}
	}
	return filepath.Join(home, fallback)
}

// expandHome turns a leading "~/" into the home folder, as a shell would.
func expandHome(p, home string) string {
	if p == "~" {
		return home
	}
	if strings.HasPrefix(p, "~/") {
		return filepath.Join(home, p[2:])
	}
	return p
}

func defaultAgent(env func(string) string) string {
	if u := env("USER"); u != "" {
		return u
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "agent"
}

// configFile returns the config file to read and whether the user named it
// explicitly (then it must exist).
func configFile(flag string, env func(string) string) (path string, explicit bool) {
	if flag != "" {
		return flag, true
	}
	if p := env("WHYCALL_CONFIG"); p != "" {
		return p, true
	}
	return filepath.Join(xdgDir(env, "XDG_CONFIG_HOME", ".config"), "whycall", "config.yaml"), false
}

// loadConfig merges flags > WHYCALL_* env > config file > defaults into a
// validated Config. flags may be nil. The returned string is the config file
// that was read ("" if none).
func loadConfig(flags *pflag.FlagSet, configFlag string, env func(string) string) (*Config, string, error) {
	v := viper.New()
	defs := defaults(env)
	for k, val := range defs {
		v.SetDefault(k, val)
	}

	path, explicit := configFile(configFlag, env)
	used := ""
	data, err := os.ReadFile(path)
	switch {
	case err == nil:
		if err := checkKeys(path, data, defs); err != nil {
			return nil, "", err
		}
		v.SetConfigType("yaml")
		if err := v.ReadConfig(bytes.NewReader(data)); err != nil {
			return nil, "", fmt.Errorf("config %s: %w", path, err)
		}
		used = path
	case errors.Is(err, os.ErrNotExist) && !explicit:
		// No config file is fine: the defaults work.
	default:
		return nil, "", fmt.Errorf("read config: %w", err)
	}

	// Environment over the file, flags over the environment. Set explicitly
	// (not viper's AutomaticEnv) so the lookup is injectable in tests.
	for key := range defs {
		if val := env("WHYCALL_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_"))); val != "" {
			v.Set(key, val)
		}
	}
	if flags != nil {
		for _, name := range []string{"db", "lang"} {
			if f := flags.Lookup(name); f != nil && f.Changed {
				v.Set(name, f.Value.String())
			}
		}
	}

	var cfg Config
	hook := mapstructure.ComposeDecodeHookFunc(
		mapstructure.StringToTimeDurationHookFunc(),
		mapstructure.StringToSliceHookFunc(","),
	)
	if err := v.Unmarshal(&cfg, viper.DecodeHook(hook)); err != nil {
		where := "settings"
		if used != "" {
			where = used
		}
		return nil, "", fmt.Errorf("config %s: %s", where, cleanDecodeError(err, v))
	}
	home := xdgDir(env, "HOME_UNUSED", "")
	for _, p := range []*string{&cfg.DB, &cfg.Taxonomy, &cfg.CustomerRef.SecretFile, &cfg.Log.File, &cfg.Serve.TLSCert, &cfg.Serve.TLSKey} {
		*p = expandHome(*p, home)
	}
	if err := cfg.validate(); err != nil {
		if used != "" {
			return nil, "", fmt.Errorf("config %s: %w", used, err)
		}
		return nil, "", fmt.Errorf("config: %w", err)
	}
	return &cfg, used, nil
}

// cleanDecodeError turns mapstructure's multi-line report into one line per
// problem that names the key and the value that would not fit.
func cleanDecodeError(err error, v *viper.Viper) string {
	s := err.Error()
	s = strings.TrimPrefix(s, "decoding failed due to the following error(s):\n\n")
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		if i := strings.IndexByte(l, '\''); i >= 0 {
			if j := strings.IndexByte(l[i+1:], '\''); j > 0 {
				key := l[i+1 : i+1+j]
				if v.IsSet(key) {
					l = fmt.Sprintf("%s: value %q does not fit (%s)", key, fmt.Sprint(v.Get(key)), l)
				}
			}
		}
		out = append(out, l)
	}
	return strings.Join(out, "; ")
}

// checkKeys reports every key in the YAML config that whycall does not know,
// with its line, so a typo is not silently ignored.
func checkKeys(path string, data []byte, known map[string]any) error {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return fmt.Errorf("config %s: %w", path, err)
	}
	if len(root.Content) == 0 {
		return nil
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return fmt.Errorf("config %s:%d: the file must be a mapping of keys to values", path, doc.Line)
	}
	sections := map[string]bool{}
	for k := range known {
		if i := strings.IndexByte(k, '.'); i > 0 {
			sections[k[:i]] = true
		}
	}
	var problems []string
	var walk func(prefix string, n *yaml.Node)
	walk = func(prefix string, n *yaml.Node) {
		for i := 0; i+1 < len(n.Content); i += 2 {
			kn, vn := n.Content[i], n.Content[i+1]
			key := prefix + kn.Value
			if _, ok := known[key]; ok {
				continue
			}
			if prefix == "" && sections[key] {
				if vn.Kind != yaml.MappingNode {
					problems = append(problems, fmt.Sprintf("%s:%d: %s: must be a mapping of keys", path, vn.Line, key))
					continue
				}
				walk(key+".", vn)
				continue
			}
			problems = append(problems, fmt.Sprintf("%s:%d: unknown key %q%s", path, kn.Line, key, suggest(key, known)))
		}
	}
	walk("", doc)
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

// suggest names the known key closest to a mistyped one.
func suggest(key string, known map[string]any) string {
	keys := make([]string, 0, len(known))
	for k := range known {
		keys = append(keys, k)
		if i := strings.IndexByte(k, '.'); i > 0 {
			keys = append(keys, k[:i])
		}
	}
	sort.Strings(keys)
	best := typo.Closest(key, keys)
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// validate checks every value; the error names the key and the bad value.
func (c *Config) validate() error {
	var errs []string
	bad := func(key string, val any, why string) {
		errs = append(errs, fmt.Sprintf("%s: %v %s", key, fmtVal(val), why))
	}
	if c.DB == "" {
		bad("db", c.DB, "must name a database file")
	}
	if !contains(locales, c.Lang) {
		bad("lang", c.Lang, "is not one of nb, sv, en")
	}
	if _, err := time.LoadLocation(c.Timezone); err != nil || c.Timezone == "" {
		bad("timezone", c.Timezone, "is not an IANA time zone (e.g. Europe/Oslo, Europe/Stockholm)")
	}
	if strings.TrimSpace(c.Agent) == "" {
		bad("agent", c.Agent, "must not be empty")
	}
	if n := len(c.CustomerRef.Secret); n > 0 && n < 16 {
		bad("customer_ref.secret", fmt.Sprintf("(%d characters)", n), "is too short: use at least 16 random characters")
	}
	if c.Retention.Days < 0 {
		bad("retention.days", c.Retention.Days, "must be 0 (keep) or a number of days")
	}
	s := c.Summary
	if s.RepeatWindowDays < 1 || s.RepeatWindowDays > 30 {
		bad("summary.repeat_window_days", s.RepeatWindowDays, "must be between 1 and 30")
	}
	if s.SpikeAlpha <= 0 || s.SpikeAlpha >= 0.5 {
		bad("summary.spike_alpha", s.SpikeAlpha, "must be between 0 and 0.5 (e.g. 0.001)")
	}
	if s.SpikeMinCount < 1 {
		bad("summary.spike_min_count", s.SpikeMinCount, "must be at least 1")
	}
	if s.SpikeMinRatio < 1 {
		bad("summary.spike_min_ratio", s.SpikeMinRatio, "must be at least 1")
	}
	if s.CatchAllWarn <= 0 || s.CatchAllWarn >= 1 {
		bad("summary.catch_all_warn", s.CatchAllWarn, "must be a share between 0 and 1")
	}
	if s.CatchAllAlert < s.CatchAllWarn || s.CatchAllAlert >= 1 {
		bad("summary.catch_all_alert", s.CatchAllAlert, "must be a share between catch_all_warn and 1")
	}
	if s.RollingDays < 0 || s.RollingDays > 90 {
		bad("summary.rolling_days", s.RollingDays, "must be 0 (off) or between 1 and 90 (28 in the metrics)")
	}
	if c.Sync.Interval < time.Second {
		bad("sync.interval", c.Sync.Interval, "must be at least 1s")
	}
	if c.Sync.BatchSize < 1 || c.Sync.BatchSize > 1000 {
		bad("sync.batch_size", c.Sync.BatchSize, "must be between 1 and 1000")
	}
	if c.Sync.Timeout <= 0 {
		bad("sync.timeout", c.Sync.Timeout, "must be positive")
	}
	if (c.Serve.TLSCert == "") != (c.Serve.TLSKey == "") {
		bad("serve.tls_cert/serve.tls_key", c.Serve.TLSCert+"/"+c.Serve.TLSKey, "must be set together")
	}
	if c.Serve.MaxBodyBytes < 1024 {
		bad("serve.max_body_bytes", c.Serve.MaxBodyBytes, "must be at least 1024")
	}
	if !contains([]string{"debug", "info", "warn", "error"}, c.Log.Level) {
		bad("log.level", c.Log.Level, "is not one of debug, info, warn, error")
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

func fmtVal(v any) string {
	if reflect.TypeOf(v).Kind() == reflect.String {
		return fmt.Sprintf("%q", v)
	}
	return fmt.Sprint(v)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// location returns the configured time zone (validated already).
func (c *Config) location() *time.Location {
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return time.UTC
	}
	return loc
}
