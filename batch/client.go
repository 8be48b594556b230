package batch

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// CollectorOptions tune how a desk talks to a collector. The zero value is
// usable.
type CollectorOptions struct {
	// Timeout bounds one request (config sync.timeout); 0 means 30 s.
	Timeout time.Duration
	// Attempts is how often a batch is sent to a collector that fails
	// (5xx) or does not answer before giving up; 0 means 5.
	Attempts int
	// Backoff is the pause after the first failed attempt; it doubles after
	// each further one up to MaxBackoff, and a random part of it is
	// dropped (jitter) so that many desks do not retry in step. 0 means
	// 500 ms and 8 s.
	Backoff, MaxBackoff time.Duration
	// Transport makes the requests; nil means http.DefaultTransport.
	Transport http.RoundTripper
	// NoGzip sends request bodies uncompressed.
	NoGzip bool
}

func (o *CollectorOptions) defaults() {
	if o.Timeout <= 0 {
		o.Timeout = 30 * time.Second
	}
	if o.Attempts <= 0 {
		o.Attempts = 5
	}
	if o.Backoff <= 0 {
		o.Backoff = 500 * time.Millisecond
	}
	if o.MaxBackoff <= 0 {
		o.MaxBackoff = 8 * time.Second
	}
}

// BatchesPath is where a collector takes batches.
const BatchesPath = "/v1/batches"

// Collector is a sync target that is a collector (`whycall serve`): each
// batch is one POST of its JSON document, gzip-compressed, with the desk's
// bearer token. A collector that fails (5xx) or does not answer is tried
// again with exponential backoff and jitter, a bounded number of times; a
// refusal (4xx) is final, except 413, which Send reports as ErrTooLarge so
// that the batch is split.
type Collector struct {
	url    string
	token  string
	opt    CollectorOptions
	client *http.Client
}

// NewCollector returns the collector at rawURL: its base address
// (https://host:8470, or with a path prefix behind a proxy) or the full
// address of its batches endpoint.
func NewCollector(rawURL, token string, opt CollectorOptions) (*Collector, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, badTarget("sync target %q is not a collector URL such as https://collector.example:8470", rawURL)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, badTarget("sync target %q: give the collector's address without user, query or fragment (the token goes in sync.token)", rawURL)
	}
	if !strings.HasSuffix(u.Path, BatchesPath) {
		u.Path = strings.TrimSuffix(u.Path, "/") + BatchesPath
	}
	opt.defaults()
	c := &Collector{url: u.String(), token: token, opt: opt,
		client: &http.Client{Timeout: opt.Timeout, Transport: opt.Transport}}
	// A redirect would resend the token elsewhere, and a 3xx after a POST
	// is not an acknowledgement.
	c.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c, nil
}

// String names the collector.
func (c *Collector) String() string { return "collector " + c.url }

// Check asks the collector's /healthz whether it can take batches.
func (c *Collector) Check(ctx context.Context) error {
	u := strings.TrimSuffix(c.url, BatchesPath) + "/healthz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fmt.Errorf("check %s: %w", c, err)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("%s unreachable: %w", c, unwrapURLError(err))
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s is not healthy: %s", c, message(data, resp.Status))
	}
	return nil
}

// errorBody is the JSON a collector answers a refused batch with.
type errorBody struct {
	Error string `json:"error"`
}

// Send posts the batch and returns the collector's answer.
func (c *Collector) Send(ctx context.Context, b *Batch, doc []byte) (Result, error) {
	body, enc := doc, ""
	if !c.opt.NoGzip {
		z, err := compress(doc)
		if err != nil {
			return Result{}, err
		}
		body, enc = z, "gzip"
	}
	var last error
	for attempt := 1; ; attempt++ {
		res, retry, err := c.post(ctx, b, body, enc)
		if err == nil {
			return res, nil
		}
		last = err
		if !retry || ctx.Err() != nil {
			return Result{}, err
		}
		if attempt == c.opt.Attempts {
			return Result{}, fmt.Errorf("%s did not take the batch after %d attempts: %w", c, attempt, last)
		}
		t := time.NewTimer(c.backoff(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			return Result{}, fmt.Errorf("%w (while waiting to retry after: %v)", ctx.Err(), last)
		case <-t.C:
		}
	}
}

// gzipWriters are reused: a new gzip writer allocates about a megabyte.
var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return w
}}

// compress returns doc gzip-compressed.
func compress(doc []byte) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(len(doc) / 4)
	zw := gzipWriters.Get().(*gzip.Writer)
	defer gzipWriters.Put(zw)
	zw.Reset(&buf)
	zw.Write(doc)
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("compress batch: %w", err)
	}
	return buf.Bytes(), nil
}

// backoff is the pause after attempt failed: half of it fixed, half random.
func (c *Collector) backoff(attempt int) time.Duration {
	d := c.opt.MaxBackoff
	if attempt < 30 {
		d = min(c.opt.Backoff<<(attempt-1), c.opt.MaxBackoff)
	}
	return d/2 + rand.N(d/2+1)
}

// post makes one attempt. retry says whether another attempt may succeed.
func (c *Collector) post(ctx context.Context, b *Batch, body []byte, enc string) (_ Result, retry bool, _ error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return Result{}, false, fmt.Errorf("post batch to %s: %w", c, err)
	}
	req.Header.Set("Content-Type", "application/json")
	if enc != "" {
		req.Header.Set("Content-Encoding", enc)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return Result{}, false, ctx.Err()
		}
		var cert *tls.CertificateVerificationError
		var unknown x509.UnknownAuthorityError
		if errors.As(err, &cert) || errors.As(err, &unknown) {
			return Result{}, false, fmt.Errorf("%s: its TLS certificate is not trusted on this machine: %w", c, err)
		}
		return Result{}, true, fmt.Errorf("%s unreachable: %w", c, unwrapURLError(err))
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return Result{}, true, fmt.Errorf("%s: reading its answer: %w", c, err)
	}
	switch code := resp.StatusCode; {
	case code == http.StatusOK:
		var res Result
		if err := json.Unmarshal(data, &res); err != nil {
			return Result{}, false, fmt.Errorf("%s answered 200 with something that is not a batch result: %.100q", c, data)
		}
		if res.Batch != b.ID || res.Contacts != len(b.Contacts) || res.Accepted+res.Duplicate+res.Stale != res.Contacts {
			return Result{}, false, fmt.Errorf("%s acknowledged batch %s with %d contacts, but %s with %d was sent", c, res.Batch, res.Contacts, b.ID, len(b.Contacts))
		}
		return res, false, nil
	case code == http.StatusRequestEntityTooLarge:
		return Result{}, false, fmt.Errorf("%w: %s refused %d bytes: %s", ErrTooLarge, c, len(body), message(data, resp.Status))
	case code >= 500:
		return Result{}, true, fmt.Errorf("%s failed: %s", c, message(data, resp.Status))
	case code == http.StatusUnauthorized:
		return Result{}, false, fmt.Errorf("%s refused the token (check sync.token or --token): %s", c, message(data, resp.Status))
	default:
		return Result{}, false, fmt.Errorf("%s refused the batch: %s", c, message(data, resp.Status))
	}
}

// message is the collector's error message, or the status line.
func message(data []byte, status string) string {
	var e errorBody
	if json.Unmarshal(data, &e) == nil && e.Error != "" {
		return status + ": " + e.Error
	}
	return status
}

// unwrapURLError drops the "Post \"url\": " that net/http puts before the
// cause, which the message names already.
func unwrapURLError(err error) error {
	var u *url.Error
	if errors.As(err, &u) {
		if u.Timeout() {
			return fmt.Errorf("no answer in time: %w", u.Err)
		}
		return u.Err
	}
	return err
}
