package batch

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Target is where a desk pushes its batches: a Folder or a Collector.
type Target interface {
	// Send delivers one batch, whose encoded document is doc, and returns
	// once the target holds it durably. An error that wraps ErrTooLarge
	// asks the caller to send the contacts in smaller batches.
	Send(ctx context.Context, b *Batch, doc []byte) (Result, error)
	// Check tells whether the target can take batches now, without
	// sending one: a push with nothing to send still reports a target
	// that is down.
	Check(ctx context.Context) error
	// String names the target in messages.
	String() string
}

// ErrBadTarget means a sync target names no folder or collector: a file,
// a URL of another kind, nothing at all. Test with errors.Is.
var ErrBadTarget = errors.New("not a sync target")

// targetError is an error that is ErrBadTarget, with its own message.
type targetError struct{ msg string }

func (e *targetError) Error() string        { return e.msg }
func (e *targetError) Is(target error) bool { return target == ErrBadTarget }

func badTarget(format string, args ...any) error {
	return &targetError{fmt.Sprintf(format, args...)}
}

// OpenTarget returns the target that s names: an http:// or https:// URL is
// a collector, anything else (a path, or file:///path) a folder. token is
// the collector's bearer token.
func OpenTarget(s, token string, opt CollectorOptions) (Target, error) {
	switch {
	case strings.HasPrefix(s, "http://"), strings.HasPrefix(s, "https://"):
		return NewCollector(s, token, opt)
	case strings.HasPrefix(s, "file://"):
		u, err := url.Parse(s)
		if err != nil {
			return nil, badTarget("sync target %q: %v", s, err)
		}
		if u.Host != "" && u.Host != "localhost" {
			return nil, badTarget("sync target %q: a file URL names a local path (file:///path); mount the share and give its path", s)
		}
		return NewFolder(u.Path)
	case strings.Contains(s, "://"):
		return nil, badTarget("sync target %q: use a folder (a path or file:///path) or a collector (http:// or https://)", s)
	case s == "":
		return nil, badTarget("no sync target: set sync.target or give --to (a folder or a collector URL)")
	}
	return NewFolder(s)
}

// Folder is a sync target that is a folder, usually on a network share:
// each batch becomes one new file, written under a temporary name, flushed
// to disk and then renamed, so that a reader never sees half a batch. A
// desk only ever creates files; it never changes or removes one.
type Folder struct {
	dir string
}

// NewFolder returns the folder target dir. A dir that does not exist (a
// share not mounted yet) is reported when a batch is sent, or by Check; a
// dir that is something else than a folder is refused here.
func NewFolder(dir string) (*Folder, error) {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("sync folder: %w", err)
	case st.Mode().IsRegular():
		return nil, badTarget("sync target %s is a file, but must be a folder: desks write each batch as a new file in a shared folder, as many desks appending to one file would corrupt it", dir)
	case !st.IsDir():
		return nil, badTarget("sync target %s is not a folder", dir)
	}
	return &Folder{dir: dir}, nil
}

// String names the folder.
func (f *Folder) String() string { return "folder " + f.dir }

// Dir returns the folder's path.
func (f *Folder) Dir() string { return f.dir }

// FileName is the name of the file that holds a batch: whycall-, the agent
// (made safe for file names), and the batch id, so that no two desks or
// batches share a name.
func FileName(agent, id string) string {
	return "whycall-" + safeName(agent) + "-" + id + ".json"
}

// tempPrefix starts the name of a batch file being written; readers skip
// such files.
const tempPrefix = ".whycall-"

// safeName keeps letters, digits, '.', '_' and '-' of s (at most 64 bytes)
// and turns everything else into '_'.
func safeName(s string) string {
	b := []byte(s)
	if len(b) > 64 {
		b = b[:64]
	}
	for i, c := range b {
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '_', c == '-':
		case c == '.' && i > 0:
		default:
			b[i] = '_'
		}
	}
	if len(b) == 0 {
		return "_"
	}
	return string(b)
}

// Check tells whether the folder is there (a share may not be mounted).
func (f *Folder) Check(context.Context) error {
	st, err := os.Stat(f.dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("sync folder %s does not exist: create it, or mount the share it is on", f.dir)
	case err != nil:
		return fmt.Errorf("sync folder: %w", err)
	case !st.IsDir():
		return fmt.Errorf("sync folder %s is not a folder", f.dir)
	}
	return nil
}

// Send writes the batch as a new file in the folder.
func (f *Folder) Send(ctx context.Context, b *Batch, doc []byte) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if err := f.Check(ctx); err != nil {
		return Result{}, err
	}
	name := FileName(b.Agent, b.ID)
	final := filepath.Join(f.dir, name)
	if _, err := os.Lstat(final); err == nil {
		// The same batch id: this batch, written before a failure that
		// came after the rename.
		return folderResult(b), nil
	}
	tmp := filepath.Join(f.dir, tempPrefix+strings.TrimPrefix(name, "whycall-")+".tmp")
	if err := writeSynced(tmp, doc); err != nil {
		os.Remove(tmp)
		return Result{}, fmt.Errorf("write batch to %s: %w", f.dir, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return Result{}, fmt.Errorf("write batch to %s: %w", f.dir, err)
	}
	if err := syncDir(f.dir); err != nil {
		return Result{}, fmt.Errorf("write batch to %s: %w", f.dir, err)
	}
	return folderResult(b), nil
}

func folderResult(b *Batch) Result {
	return Result{Batch: b.ID, Contacts: len(b.Contacts), Accepted: len(b.Contacts)}
}

// writeSynced creates path (which must not exist), writes data and flushes
// it to disk.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
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
	return f.Close()
}

// syncDir flushes a folder's entries, so that a rename in it survives a
// crash. File systems that cannot (some network shares) are left to their
// own guarantees.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) && !errors.Is(err, syscall.ENOTSUP) {
		return err
	}
	return nil
}
