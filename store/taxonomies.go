package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// TaxonomyVersion describes one stored taxonomy version.
type TaxonomyVersion struct {
	Version    string // content hash, what contacts store as taxonomy_version
	TaxonomyID string
	Revision   int // taxonomy.version from the YAML
	AddedAt    time.Time
}

// SaveTaxonomy records the YAML of a taxonomy version (idempotent). Saving a
// version again with other YAML is an error: the version is a content hash.
func (s *Store) SaveTaxonomy(ctx context.Context, version, taxonomyID string, revision int, yaml []byte) error {
	if version == "" {
		return fmt.Errorf("save taxonomy %s: %w: empty version", taxonomyID, ErrInvalid)
	}
	err := s.write(ctx, func(tx *sql.Tx, now time.Time) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO taxonomies (version, taxonomy_id, revision, yaml, added_at)
			VALUES (?, ?, ?, ?, ?) ON CONFLICT (version) DO NOTHING`,
			version, taxonomyID, revision, yaml, now.UnixMilli())
		if err != nil {
			return driverError(err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 1 {
			return driverError(err)
		}
		var old []byte
		if err := tx.QueryRowContext(ctx, `SELECT yaml FROM taxonomies WHERE version = ?`, version).Scan(&old); err != nil {
			return driverError(err)
		}
		if !bytes.Equal(old, yaml) {
			return fmt.Errorf("%w: version already stored with other content", ErrInvalid)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("save taxonomy %s version %s: %w", taxonomyID, version, err)
	}
	return nil
}

// TaxonomyYAML returns the YAML stored for version (ErrUnknownTaxonomy if
// none is).
func (s *Store) TaxonomyYAML(ctx context.Context, version string) ([]byte, error) {
	var y []byte
	err := s.db.QueryRowContext(ctx, `SELECT yaml FROM taxonomies WHERE version = ?`, version).Scan(&y)
	if errors.Is(err, sql.ErrNoRows) {
		err = ErrUnknownTaxonomy
	}
	if err != nil {
		return nil, fmt.Errorf("taxonomy version %s: %w", version, driverError(err))
	}
	return y, nil
}

// TaxonomyVersions lists the stored taxonomy versions, oldest first.
func (s *Store) TaxonomyVersions(ctx context.Context) ([]TaxonomyVersion, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT version, taxonomy_id, revision, added_at
		FROM taxonomies ORDER BY added_at, version`)
	if err != nil {
		return nil, fmt.Errorf("list taxonomy versions: %w", driverError(err))
	}
	defer rows.Close()
	var vs []TaxonomyVersion
	for rows.Next() {
		var v TaxonomyVersion
		var added int64
		if err := rows.Scan(&v.Version, &v.TaxonomyID, &v.Revision, &added); err != nil {
			return nil, fmt.Errorf("list taxonomy versions: %w", err)
		}
		v.AddedAt = fromMillis(added, s.loc)
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list taxonomy versions: %w", driverError(err))
	}
	return vs, nil
}
