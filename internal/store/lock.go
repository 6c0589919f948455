package store

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// InUseError is returned by Lock when another process holds the database:
// two daemons on one database, or a fetch beside one, would poll every
// source twice and race on every write.
type InUseError struct {
	Database string
	PID      int    // 0 when the holder's pid could not be read
	Command  string // the holder's command: "serve" or "fetch"
}

func (e *InUseError) Error() string {
	if e.PID == 0 {
		return fmt.Sprintf("%s is in use by village %s", e.Database, e.Command)
	}
	return fmt.Sprintf("%s is in use by village %s (pid %d)", e.Database, e.Command, e.PID)
}

// DatabaseLock is the exclusive hold a daemon, or a fetch, keeps on its
// database for as long as it runs.
type DatabaseLock struct{ f *os.File }

// LockPath is the lock file of the database at path: beside it, so that
// it lives and dies with the database's directory.
func LockPath(path string) string { return path + ".lock" }

// Lock takes the exclusive lock of the database at path for command
// ("serve" or "fetch"), or fails at once with an *InUseError. The lock
// file holds the holder's pid and command, for that message. The kernel
// drops the lock when the process ends, however it ends, so a crash never
// leaves a stale lock behind. The file itself stays: removing it would let
// a second process lock a fresh file while a third still holds the old one.
func Lock(path, command string) (*DatabaseLock, error) {
	if path == "" || strings.HasPrefix(path, ":memory:") {
		return nil, fmt.Errorf("lock database: %q is not a file path", path)
	}
	f, err := os.OpenFile(LockPath(path), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("lock database: %w", err)
	}
	if err := tryLock(f); err != nil {
		defer f.Close()
		if errors.Is(err, errLocked) {
			pid, holder := readHolder(f)
			return nil, &InUseError{Database: path, PID: pid, Command: holder}
		}
		return nil, fmt.Errorf("lock database %s: %w", path, err)
	}
	if err := writeHolder(f, command); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock database %s: %w", path, err)
	}
	return &DatabaseLock{f: f}, nil
}

// Release gives the lock up.
func (l *DatabaseLock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	err := l.f.Close() // closing the descriptor releases the lock
	l.f = nil
	return err
}

func writeHolder(f *os.File, command string) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+" "+command+"\n"), 0)
	return err
}

// readHolder reads the pid and command in the lock file; a file written
// before the command was kept names a serve, the only holder then.
func readHolder(f *os.File) (pid int, command string) {
	b, err := io.ReadAll(io.NewSectionReader(f, 0, 64))
	if err != nil {
		return 0, "serve"
	}
	fields := strings.Fields(string(b))
	if len(fields) > 0 {
		pid, _ = strconv.Atoi(fields[0])
	}
	if len(fields) > 1 {
		return pid, fields[1]
	}
	return pid, "serve"
}
