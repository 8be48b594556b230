package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"whycall/store"
)

// storeOptions turns the config into store options, creating the customer
// reference secret beside the database on first use when hashing is on.
func (a *app) storeOptions(collector bool) (store.Options, error) {
	opt := store.Options{
		Location:     a.cfg.location(),
		Collector:    collector,
		KeepNotesRaw: !a.cfg.Notes.Mask,
		OnUpgrade:    a.sayUpgrade,
	}
	if a.cfg.CustomerRef.Hash {
		secret, err := a.refSecret()
		if err != nil {
			return opt, err
		}
		h, err := store.NewRefHasher(secret)
		if err != nil {
			return opt, fmt.Errorf("config key customer_ref.secret: %w", err)
		}
		opt.Refs = h
	}
	return opt, nil
}

// sayUpgrade tells the user why opening the database takes a while.
func (a *app) sayUpgrade(from, to int) {
	fmt.Fprintf(a.stderr, "whycall: upgrading %s from schema %d to %d, once; a big database takes a few seconds\n", a.cfg.DB, from, to)
}

// refSecret returns the HMAC secret for customer refs: from the config, from
// the configured secret file, or from a file beside the database that is
// generated once.
func (a *app) refSecret() ([]byte, error) {
	c := a.cfg.CustomerRef
	if c.Secret != "" {
		return []byte(c.Secret), nil
	}
	path := c.SecretFile
	if path == "" {
		// Make the database's folder first, so an unwritable place is
		// reported as the database's problem, not the secret's beside it.
		if err := os.MkdirAll(filepath.Dir(a.cfg.DB), 0o700); err != nil {
			return nil, fmt.Errorf("database %s (config key db, flag --db): cannot create its folder: %w", a.cfg.DB, err)
		}
		path = filepath.Join(filepath.Dir(a.cfg.DB), "customer_ref.secret")
	}
	secret, err := store.LoadOrCreateSecret(path)
	if err != nil {
		return nil, fmt.Errorf("customer_ref secret (config key customer_ref.secret_file): %w", err)
	}
	return secret, nil
}

// openStore opens the configured database. collector relaxes durability for
// bulk ingest (`whycall serve`, `whycall ingest`); an agent's desk keeps every
// save durable.
func (a *app) openStore(ctx context.Context, collector bool) (*store.Store, error) {
	if strings.Contains(a.cfg.DB, "://") {
		return nil, usagef("db %q: only SQLite database files are supported so far", a.cfg.DB)
	}
	opt, err := a.storeOptions(collector)
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, a.cfg.DB, opt)
}
