package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"whycall/batch"
)

// shutdownGrace is how long a stopping collector waits for batches in
// flight.
const shutdownGrace = 30 * time.Second

func newServeCmd(a *app) *cobra.Command {
	var listen string
	var tokens []string
	var noAuth bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the collector that desks sync to",
		Long: `serve runs the collector: desks push batches of contacts to it with
'whycall sync' (or the capture screen's background sync), and it stores them
in its database (--db), where 'whycall summary' and 'whycall export' report on
the whole site.

  POST /v1/batches   a batch (whycall.batch/v1 JSON, optionally gzip) with
                     Authorization: Bearer <token>
  GET  /healthz      200 while the collector can take batches
  GET  /metrics      Prometheus metrics

The same batch, or the same contact revision, delivered twice changes
nothing, and an older revision never overwrites a newer one. Tokens come
from --token and serve.tokens; TLS is on when serve.tls_cert and
serve.tls_key are set. SIGINT or SIGTERM stops it after the batches in
flight are stored.`,
		Example: `  whycall serve --db /srv/whycall/site.db --token "$(cat /etc/whycall/token)"
  whycall serve --listen 0.0.0.0:8470          # tokens from serve.tokens in the config`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if cmd.Flags().Changed("listen") {
				a.cfg.Serve.Listen = listen
			}
			return a.runServe(cmd.Context(), append(a.cfg.Serve.Tokens, tokens...), noAuth)
		},
	}
	f := cmd.Flags()
	f.StringVar(&listen, "listen", "", "address to listen on (default serve.listen, 127.0.0.1:8470)")
	f.StringArrayVar(&tokens, "token", nil, "a bearer token desks may use; repeat for more (also serve.tokens)")
	f.BoolVar(&noAuth, "insecure-no-auth", false, "accept batches without a token (only on a trusted network)")
	return cmd
}

func (a *app) runServe(ctx context.Context, tokens []string, noAuth bool) (err error) {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	var clean []string
	for _, t := range tokens {
		if t = strings.TrimSpace(t); t != "" {
			clean = append(clean, t)
		}
	}
	if len(clean) == 0 && !noAuth {
		return usagef("the collector needs a token: give --token or set serve.tokens (or --insecure-no-auth on a trusted network)")
	}
	log := slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: logLevel(a.cfg.Log.Level)}))

	in, closeAll, err := a.openIngester(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, closeAll()) }()
	st := in.Store()
	h, err := batch.NewHandler(in, batch.HandlerOptions{
		Tokens: clean, NoAuth: noAuth, MaxBodyBytes: a.cfg.Serve.MaxBodyBytes, Logger: log,
		Health: func(ctx context.Context) error { return st.DB().PingContext(ctx) },
	})
	if err != nil {
		return usageError{err}
	}
	ln, err := net.Listen("tcp", a.cfg.Serve.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s (config serve.listen or --listen): %w", a.cfg.Serve.Listen, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		// Requests keep going when the server stops: Shutdown waits for
		// them, so a batch in flight is stored and answered.
		BaseContext: func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	tls := a.cfg.Serve.TLSCert != ""
	scheme := "http"
	if tls {
		scheme = "https"
	}
	auth := fmt.Sprintf("%d token(s)", len(clean))
	if noAuth {
		auth = "NO AUTHENTICATION (--insecure-no-auth)"
	}
	fmt.Fprintf(a.stdout, "whycall collector listening on %s://%s, database %s, %s\n", scheme, ln.Addr(), st.Path(), auth)
	if !tls && !isLoopback(ln.Addr()) {
		log.Warn("serving without TLS on a network address: tokens and contacts travel in clear text; set serve.tls_cert and serve.tls_key, or put a TLS proxy in front")
	}

	served := make(chan error, 1)
	go func() {
		if tls {
			served <- srv.ServeTLS(ln, a.cfg.Serve.TLSCert, a.cfg.Serve.TLSKey)
		} else {
			served <- srv.Serve(ln)
		}
	}()
	select {
	case err := <-served:
		return fmt.Errorf("collector stopped: %w", err)
	case <-ctx.Done():
	}
	fmt.Fprintln(a.stdout, "stopping: finishing the batches in flight")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("stop collector: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("collector stopped: %w", err)
	}
	fmt.Fprintln(a.stdout, "stopped")
	return nil
}

func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// logLevel turns log.level (validated already) into a slog level.
func logLevel(s string) slog.Level {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return slog.LevelInfo
	}
	return l
}
