package batch

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"whycall/store"
	"whycall/taxonomy"
)

// Ingester is what the collector stores batches with; *store.Ingester is
// one.
type Ingester interface {
	Ingest(ctx context.Context, b *store.IngestBatch) (store.IngestResult, error)
}

// HandlerOptions configure the collector's HTTP handler.
type HandlerOptions struct {
	// Tokens are the bearer tokens desks may use (config serve.tokens). At
	// least one is required unless NoAuth is set.
	Tokens []string
	// NoAuth accepts requests without a token (--insecure-no-auth).
	NoAuth bool
	// MaxBodyBytes is the largest request body, compressed or not
	// (config serve.max_body_bytes); 0 means 8 MiB.
	MaxBodyBytes int64
	// Now is the clock that times in batches are checked against; nil
	// means time.Now.
	Now func() time.Time
	// Logger receives a line per refused request and per failure; nil
	// discards.
	Logger *slog.Logger
	// Registry receives the collector's metrics and is what /metrics
	// serves; nil means a new one that also holds the Go and process
	// collectors.
	Registry *prometheus.Registry
	// Health, if set, is asked by /healthz whether the database works.
	Health func(ctx context.Context) error
	// KnownReasons loads a taxonomy version a batch carries and returns
	// which reason ids it defines, for the warnings about unknown ones; nil
	// means taxonomy.Load.
	KnownReasons func(version string, yaml []byte) (func(id string) bool, error)
}

// loadKnownReasons is the default HandlerOptions.KnownReasons.
func loadKnownReasons(version string, yaml []byte) (func(id string) bool, error) {
	t, err := taxonomy.Load("taxonomy "+version, yaml)
	if err != nil {
		return nil, err
	}
	return func(id string) bool { _, ok := t.Reason(id); return ok }, nil
}

// Handler is the collector's HTTP API:
//
//	POST /v1/batches  a batch document (optionally gzip), bearer token; answers a Result
//	GET  /healthz     200 when the collector can take batches
//	GET  /metrics     Prometheus text
//
// Errors are JSON {"error": "..."} with status 400 (not a valid batch), 401
// (token), 404, 405, 413 (too large: split the batch), 415 (content type or
// encoding), 500 or 503 (try again).
type Handler struct {
	in      Ingester
	opt     HandlerOptions
	tokens  [][sha256.Size]byte
	mux     *http.ServeMux
	log     *slog.Logger
	metrics metrics

	taxMu sync.Mutex
	taxes map[string]func(id string) bool // known reasons by taxonomy version; nil if one does not load
}

type metrics struct {
	batches        *prometheus.CounterVec
	contacts       *prometheus.CounterVec
	rejects        *prometheus.CounterVec
	latency        prometheus.Histogram
	unknownReasons prometheus.Counter
}

// NewHandler returns the collector's handler, which stores batches with in.
func NewHandler(in Ingester, opt HandlerOptions) (*Handler, error) {
	if len(opt.Tokens) == 0 && !opt.NoAuth {
		return nil, errors.New("the collector needs at least one token (serve.tokens or --token), or --insecure-no-auth")
	}
	if opt.MaxBodyBytes <= 0 {
		opt.MaxBodyBytes = 8 << 20
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.KnownReasons == nil {
		opt.KnownReasons = loadKnownReasons
	}
	h := &Handler{in: in, opt: opt, mux: http.NewServeMux(), log: opt.Logger, taxes: make(map[string]func(string) bool)}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	for _, t := range opt.Tokens {
		if t == "" {
			return nil, errors.New("the collector's tokens must not be empty")
		}
		h.tokens = append(h.tokens, sha256.Sum256([]byte(t)))
	}
	reg := opt.Registry
	if reg == nil {
		reg = prometheus.NewRegistry()
		reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	h.metrics = metrics{
		batches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "whycall_collector_batches_total",
			Help: "Batches taken, by result: ingested (new batch id) or duplicate (batch id seen before).",
		}, []string{"result"}),
		contacts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "whycall_collector_contacts_total",
			Help: "Contact revisions in batches taken, by result: accepted (newer than stored), duplicate (stored already) or stale (older than stored).",
		}, []string{"result"}),
		rejects: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "whycall_collector_rejects_total",
			Help: "Requests to /v1/batches refused or failed, by HTTP status.",
		}, []string{"code"}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "whycall_collector_batch_duration_seconds",
			Help:    "Time from request to answer on /v1/batches, refusals included.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}),
		unknownReasons: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "whycall_collector_unknown_reasons_total",
			Help: "Reason ids that the contact's own taxonomy version does not define (kept as sent).",
		}),
	}
	for _, c := range []prometheus.Collector{h.metrics.batches, h.metrics.contacts, h.metrics.rejects, h.metrics.latency, h.metrics.unknownReasons} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register metrics: %w", err)
		}
	}
	for _, r := range []string{"ingested", "duplicate"} {
		h.metrics.batches.WithLabelValues(r)
	}
	for _, r := range []string{"accepted", "duplicate", "stale"} {
		h.metrics.contacts.WithLabelValues(r)
	}
	h.mux.HandleFunc("POST "+BatchesPath, h.postBatch)
	h.mux.HandleFunc(BatchesPath, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", http.MethodPost)
		h.refuse(w, r, http.StatusMethodNotAllowed, "use POST to send a batch")
	})
	h.mux.HandleFunc("GET /healthz", h.healthz)
	h.mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{ErrorLog: slog.NewLogLogger(h.log.Handler(), slog.LevelError)}))
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, fmt.Sprintf("no such endpoint %s; batches go to POST %s", r.URL.Path, BatchesPath))
	})
	return h, nil
}

// ServeHTTP serves the collector's API.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

func (h *Handler) healthz(w http.ResponseWriter, r *http.Request) {
	if h.opt.Health != nil {
		if err := h.opt.Health(r.Context()); err != nil {
			h.log.Error("health check failed", "err", err)
			writeError(w, http.StatusServiceUnavailable, "the database does not answer")
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// postBatch takes one batch.
func (h *Handler) postBatch(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer func() { h.metrics.latency.Observe(time.Since(start).Seconds()) }()

	if msg := h.authorize(r); msg != "" {
		w.Header().Set("WWW-Authenticate", `Bearer realm="whycall"`)
		h.refuse(w, r, http.StatusUnauthorized, msg)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		h.refuse(w, r, http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Type must be application/json, not %q", r.Header.Get("Content-Type")))
		return
	}
	enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding")))
	if enc != "" && enc != "identity" && enc != "gzip" {
		h.refuse(w, r, http.StatusUnsupportedMediaType, fmt.Sprintf("Content-Encoding %q is not supported; send gzip or nothing", enc))
		return
	}
	body, status, msg := h.readBody(w, r, enc == "gzip")
	if status != 0 {
		h.refuse(w, r, status, msg)
		return
	}
	b, err := Decode(body, h.opt.Now())
	if err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, ErrTooLarge) {
			status = http.StatusRequestEntityTooLarge
		}
		h.refuse(w, r, status, err.Error())
		return
	}
	warnings := h.checkReasons(b)
	res, err := h.in.Ingest(r.Context(), IngestBatch(b, "", 0))
	if err != nil {
		status := http.StatusInternalServerError
		msg := "storing the batch failed; send it again later"
		if r.Context().Err() != nil {
			status, msg = http.StatusServiceUnavailable, "the request was cancelled before the batch was stored; send it again"
		}
		h.log.Error("ingest batch", "batch", b.ID, "agent", b.Agent, "remote", r.RemoteAddr, "err", err)
		h.metrics.rejects.WithLabelValues(fmt.Sprint(status)).Inc()
		writeError(w, status, msg)
		return
	}
	out := Result{Batch: b.ID, Contacts: len(b.Contacts), Accepted: res.Accepted, Duplicate: res.Duplicate,
		Stale: res.Stale, DuplicateBatch: res.DuplicateBatch, Warnings: warnings}
	kind := "ingested"
	if res.DuplicateBatch {
		kind = "duplicate"
	}
	h.metrics.batches.WithLabelValues(kind).Inc()
	h.metrics.contacts.WithLabelValues("accepted").Add(float64(res.Accepted))
	h.metrics.contacts.WithLabelValues("duplicate").Add(float64(res.Duplicate))
	h.metrics.contacts.WithLabelValues("stale").Add(float64(res.Stale))
	h.log.Debug("batch", "batch", b.ID, "agent", b.Agent, "site", b.Site, "contacts", len(b.Contacts),
		"accepted", res.Accepted, "duplicate", res.Duplicate, "stale", res.Stale, "duplicate_batch", res.DuplicateBatch)
	writeJSON(w, http.StatusOK, out)
}

// authorize checks the bearer token against every configured token in
// constant time (hashes of equal length, all of them compared), and returns
// why a request is refused, or "".
func (h *Handler) authorize(r *http.Request) string {
	if h.opt.NoAuth {
		return ""
	}
	auth := r.Header.Get("Authorization")
	scheme, token, ok := strings.Cut(auth, " ")
	if auth == "" || !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return "missing bearer token (Authorization: Bearer <token>)"
	}
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	match := 0
	for i := range h.tokens {
		match |= subtle.ConstantTimeCompare(sum[:], h.tokens[i][:])
	}
	if match != 1 {
		return "the token is not one of the collector's tokens"
	}
	return ""
}

// readBody reads the request body within MaxBodyBytes, compressed and
// uncompressed, and returns it or a status and message to refuse it with.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request, gz bool) ([]byte, int, string) {
	limit := h.opt.MaxBodyBytes
	tooLarge := fmt.Sprintf("the body is larger than this collector's limit of %d bytes (serve.max_body_bytes); send smaller batches", limit)
	if r.ContentLength > limit {
		return nil, http.StatusRequestEntityTooLarge, tooLarge
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, http.StatusRequestEntityTooLarge, tooLarge
		}
		return nil, http.StatusBadRequest, "reading the body failed: " + err.Error()
	}
	if !gz {
		return raw, 0, ""
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, http.StatusBadRequest, "the body is not gzip, though Content-Encoding says so"
	}
	body, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, http.StatusBadRequest, "the gzip body is corrupt: " + err.Error()
	}
	if int64(len(body)) > limit {
		return nil, http.StatusRequestEntityTooLarge, strings.Replace(tooLarge, "the body is", "the uncompressed body is", 1)
	}
	return body, 0, ""
}

// refuse answers a request with an error and counts it.
func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	h.metrics.rejects.WithLabelValues(fmt.Sprint(status)).Inc()
	h.log.Warn("refused", "status", status, "remote", r.RemoteAddr, "path", r.URL.Path, "why", msg)
	writeError(w, status, msg)
}

// maxWarnings is how many warnings one answer lists.
const maxWarnings = 20

// checkReasons lists reason ids that the contacts' own taxonomy versions do
// not define. They are kept as sent: the desk's tree may know something the
// collector was never told about, and dropping a tag would lose data.
func (h *Handler) checkReasons(b *Batch) []string {
	var warnings []string
	n := 0
	for i := range b.Contacts {
		c := &b.Contacts[i]
		known := h.knownReasons(b, c.TaxonomyVersion)
		if known == nil {
			continue
		}
		for _, r := range c.Reasons {
			if known(r) {
				continue
			}
			n++
			if len(warnings) < maxWarnings {
				warnings = append(warnings, fmt.Sprintf("contact %s: reason %q is not in taxonomy version %s (kept)", c.ID, clip(r), c.TaxonomyVersion))
			}
		}
	}
	if n > maxWarnings {
		warnings = append(warnings, fmt.Sprintf("and %d more unknown reasons", n-maxWarnings))
	}
	h.metrics.unknownReasons.Add(float64(n))
	return warnings
}

// maxTaxonomies bounds the loaded taxonomy versions kept for checkReasons.
const maxTaxonomies = 64

// knownReasons returns which reason ids a taxonomy version the batch
// carries defines, loaded once; nil if it does not load (its reasons are
// then not checked).
func (h *Handler) knownReasons(b *Batch, version string) func(string) bool {
	h.taxMu.Lock()
	t, ok := h.taxes[version]
	h.taxMu.Unlock()
	if ok {
		return t
	}
	for _, bt := range b.Taxonomies {
		if bt.Version != version {
			continue
		}
		loaded, err := h.opt.KnownReasons(version, bt.YAML)
		if err != nil {
			h.log.Warn("taxonomy version from a desk does not load; its reason ids are not checked", "version", version, "err", err)
			loaded = nil
		}
		h.taxMu.Lock()
		if len(h.taxes) < maxTaxonomies {
			h.taxes[version] = loaded
		}
		h.taxMu.Unlock()
		return loaded
	}
	return nil
}

// IngestBatch turns a decoded batch into what the store ingests; file and
// size name the batch file it came in ("" over HTTP).
func IngestBatch(b *Batch, file string, size int64) *store.IngestBatch {
	ib := &store.IngestBatch{ID: b.ID, Agent: b.Agent, Site: b.Site, Created: b.Created,
		File: file, FileSize: size, Contacts: b.Contacts}
	for _, t := range b.Taxonomies {
		ib.Taxonomies = append(ib.Taxonomies, store.IngestTaxonomy{Version: t.Version, TaxonomyID: t.ID, Revision: t.Revision, YAML: t.YAML})
	}
	return ib
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	data, err := json.Marshal(v)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"error":"encoding the answer failed"}`)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	w.Write(append(data, '\n'))
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{Error: msg})
}
